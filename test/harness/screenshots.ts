/** Where tests save the screenshots a person looks at: `.screenshots/` in the project (ignored by git). */
import fs from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '..', '..', '.screenshots');

/** The file for a screenshot named `name` (e.g. "status-page-phone"); the folder is created. */
export function screenshotFile(name: string): string {
	fs.mkdirSync(DIR, { recursive: true });
	return path.join(DIR, `${name}.png`);
}
