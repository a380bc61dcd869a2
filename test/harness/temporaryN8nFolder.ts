/**
 * For tests that run the tracker's nodes without n8n: n8n's folder (where the tracker's
 * state store keeps its files when n8n runs on SQLite) points at a throw-away folder for
 * the file's tests, never at the user's ~/.n8n.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function useTemporaryN8nFolder(): () => string {
	let folder = '';
	let saved: { had: boolean; value?: string } = { had: false };
	beforeAll(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-user-'));
		saved = { had: 'N8N_USER_FOLDER' in process.env, value: process.env.N8N_USER_FOLDER };
		process.env.N8N_USER_FOLDER = folder;
	});
	afterAll(() => {
		if (saved.had) process.env.N8N_USER_FOLDER = saved.value;
		else delete process.env.N8N_USER_FOLDER;
		fs.rmSync(folder, { recursive: true, force: true });
	});
	return () => folder;
}
