import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { mailboxDir, saveMail } from '../../../scripts/lib/demo/mailbox';

describe("the demo's mailbox: each e-mail as a file a browser opens", () => {
	let demoDir: string;
	beforeEach(() => {
		demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-mailbox-'));
	});
	afterEach(() => fs.rmSync(demoDir, { recursive: true, force: true }));

	test("an HTML e-mail is saved as it was sent, numbered, readable by the demo's user only", () => {
		const html = '<!DOCTYPE html>\n<html><body><h1 style="x">Fixed: WhatsApp</h1></body></html>';
		const file = saveMail(mailboxDir(demoDir), 1, { subject: 'Fixed: WhatsApp', text: 'Fixed', html });
		expect(file).toBe(path.join(demoDir, 'mail', '001.html'));
		expect(fs.readFileSync(file, 'utf8')).toBe(html);
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		expect(fs.statSync(path.join(demoDir, 'mail')).mode & 0o777).toBe(0o700);
		expect(saveMail(mailboxDir(demoDir), 12, { subject: 'x', text: 'y', html })).toBe(path.join(demoDir, 'mail', '012.html'));
	});

	test('a text-only e-mail becomes an escaped <pre> page titled by its subject', () => {
		const file = saveMail(mailboxDir(demoDir), 2, { subject: 'Needs you: <Database>', text: 'rows < 1 & "empty"', html: undefined });
		const page = fs.readFileSync(file, 'utf8');
		expect(page).toContain('<title>Needs you: &lt;Database&gt;</title>');
		expect(page).toContain('<pre>rows &lt; 1 &amp; &quot;empty&quot;</pre>');
	});
});
