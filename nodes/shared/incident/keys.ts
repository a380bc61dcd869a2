/** Deterministic names: the key of a component+target and the id of an incident. */
import type { Component } from '../contract';

export function incidentKey(component: Component, target: string): string {
	return `${component}:${target}`;
}

/** No randomness: the same first failure always gets the same id. */
export function incidentId(key: string, openedAt: number): string {
	return `${key}@${new Date(openedAt).toISOString()}`;
}
