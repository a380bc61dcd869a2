/** Deterministic names: the key of a component+target and the id of an incident. */
import type { Component } from '../contract';

/** `component:target`, plus `#probe` for a target's second probe (the Conversation Check's, the Webhook Check's). */
export function incidentKey(component: Component, target: string, probe?: string): string {
	return probe ? `${component}:${target}#${probe}` : `${component}:${target}`;
}

/** No randomness: the same first failure always gets the same id. */
export function incidentId(key: string, openedAt: number): string {
	return `${key}@${new Date(openedAt).toISOString()}`;
}
