/**
 * Durable file writes, shared by every node that writes files (log archives, backups):
 * data synced to disk before a file is renamed into place, and the rename itself made
 * durable by syncing the directory.
 */
import fs from 'node:fs/promises';

/** Writes a whole (small) file and syncs it before closing. */
export async function writeDurably(filePath: string, content: string): Promise<void> {
	const handle = await fs.open(filePath, 'w');
	try {
		await handle.writeFile(content, 'utf8');
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Syncs a file written through a stream. */
export async function fsyncFile(filePath: string): Promise<void> {
	const handle = await fs.open(filePath, 'r+');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Makes a rename durable; not every platform can fsync a directory, which is fine. */
export async function fsyncDirectory(directory: string): Promise<void> {
	try {
		const handle = await fs.open(directory, 'r');
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch {
		// best effort
	}
}
