/**
 * The workflows in `workflows/` and the bookkeeping that makes `npm start` safe to
 * re-run: a file is imported again only when it changed since the last import, so
 * edits made in the editor survive restarts and nothing is duplicated (IDs are fixed).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { MONITOR_LOOP } from '../workflows/ids';

interface ShippedWorkflow {
	id: string;
	name: string;
	file: string;
	/** Published by `npm start` (`meta.autorecovery.publish` in the JSON). */
	publish: boolean;
	hash: string;
}

interface WorkflowJson {
	id?: unknown;
	name?: unknown;
	meta?: { autorecovery?: { publish?: unknown } };
}

/** Callers after what they call: the sub-workflows first, then MONITOR_LOOP in its order. */
const publishRank = (id: string) => (MONITOR_LOOP as readonly string[]).indexOf(id) + 1;

/** The workflows in the order to publish them: the sub-workflows, then the Monitor, then Autorecovery: Triggers. */
export function inPublishOrder<T extends { id: string }>(workflows: T[]): T[] {
	return [...workflows].sort((a, b) => publishRank(a.id) - publishRank(b.id));
}

export function hashOf(value: unknown): string {
	return crypto.createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex');
}

export function listShippedWorkflows(dir: string): ShippedWorkflow[] {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => {
			const file = path.join(dir, f);
			const text = fs.readFileSync(file, 'utf8');
			let json: WorkflowJson;
			try {
				json = JSON.parse(text) as WorkflowJson;
			} catch (error) {
				throw new Error(`workflows/${f} is not valid JSON: ${(error as Error).message}`);
			}
			if (typeof json.id !== 'string' || json.id === '') throw new Error(`workflows/${f} has no fixed "id"`);
			return {
				id: json.id,
				name: typeof json.name === 'string' ? json.name : f,
				file,
				publish: json.meta?.autorecovery?.publish === true,
				hash: hashOf(text),
			};
		});
}

interface ImportLedger {
	workflows: Record<string, string>;
	credentials: Record<string, string>;
}

export function readLedger(file: string): ImportLedger {
	try {
		const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ImportLedger>;
		return { workflows: parsed.workflows ?? {}, credentials: parsed.credentials ?? {} };
	} catch {
		return { workflows: {}, credentials: {} };
	}
}

export function writeLedger(file: string, ledger: ImportLedger): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(ledger, null, 2), { mode: 0o600 });
}
