/** Checks of the plain parameters shared by backup, verify and restore (misuse throws). */
import path from 'node:path';

import { BackupParameterError } from './errors';

export function requireAbsolutePath(value: unknown, parameter: string): string {
	if (typeof value !== 'string' || value.trim() === '') throw new BackupParameterError(parameter, 'must be a non-empty path');
	if (!path.isAbsolute(value)) throw new BackupParameterError(parameter, `must be an absolute path, got "${value}"`);
	return value;
}

export function requireTimeout(value: unknown, parameter = 'timeoutMs'): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
		throw new BackupParameterError(parameter, 'must be a number of milliseconds > 0');
	}
	return value;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function requireFileName(value: unknown, parameter = 'name'): string {
	if (typeof value !== 'string' || !NAME.test(value)) {
		throw new BackupParameterError(parameter, 'must be 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit');
	}
	return value;
}

export function requireDate(value: unknown, parameter = 'now'): Date {
	if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new BackupParameterError(parameter, 'must be a valid Date');
	return value;
}

/** `2024-01-31T12:00:00.000Z` → `20240131T120000000Z` (no colons: portable file names). */
export function compactStamp(date: Date): string {
	return date.toISOString().replace(/[-:.]/g, '');
}
