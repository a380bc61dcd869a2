/**
 * The demo's mailbox: every e-mail the SMTP catcher receives is also written as a file a
 * browser opens (the alert's own HTML, or its text in <pre>), so a newcomer reads the
 * e-mails as the owner would, not only their subject lines in the terminal.
 */
import fs from 'node:fs';
import path from 'node:path';

import { escapeHtml } from '../../../nodes/shared/alerts/render';

export interface MailToSave {
	subject: string | undefined;
	text: string | undefined;
	html: string | undefined;
}

/** The folder the demo's e-mails are written to, inside the demo's own folder. */
export function mailboxDir(demoDir: string): string {
	return path.join(demoDir, 'mail');
}

/** Writes mail number `index` (from 1) into `dir` and returns the file's path. */
export function saveMail(dir: string, index: number, mail: MailToSave): string {
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	const file = path.join(dir, `${String(index).padStart(3, '0')}.html`);
	const title = escapeHtml(mail.subject ?? '(no subject)');
	const page =
		mail.html ??
		`<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head><body><pre>${escapeHtml(mail.text ?? '')}</pre></body></html>`;
	// Alerts may name the shop's targets: readable by the demo's user only, like its state file.
	fs.writeFileSync(file, page, { mode: 0o600 });
	return file;
}
