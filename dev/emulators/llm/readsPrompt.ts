/**
 * A model that answers about the failure it was given: reads the check result between the
 * LLM Diagnose prompt's fence lines and the language the system prompt asks for, and says
 * what the package's own rule for that cause says. Used by the demo, where a canned
 * "WhatsApp is closed" diagnosis under every alert (host load, images, payments) misled
 * whoever watched; tests keep the scripted default so their replies stay exact.
 */
import { COMPONENTS, type CheckResult, type Component } from '../../../nodes/shared/contract';
import { FENCE_CLOSE, FENCE_OPEN, LANGUAGE_NAMES } from '../../../nodes/LlmDiagnose/diagnosis/prompt';
import { DIAGNOSIS_LANGUAGES, ruleDiagnosis, type DiagnosisLanguage } from '../../../nodes/LlmDiagnose/diagnosis/rules';

const isComponent = (value: unknown): value is Component => (COMPONENTS as readonly unknown[]).includes(value);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function languageOf(texts: string[]): DiagnosisLanguage {
	const asked = DIAGNOSIS_LANGUAGES.find((language) => texts.some((text) => text.includes(`Write rootCause and summary in ${LANGUAGE_NAMES[language]}`)));
	return asked ?? 'en';
}

function fencedResult(texts: string[]): CheckResult | undefined {
	for (const text of texts) {
		const start = text.lastIndexOf(`${FENCE_OPEN}\n`);
		const end = text.lastIndexOf(`\n${FENCE_CLOSE}`);
		if (start < 0 || end <= start) continue;
		let data: unknown;
		try {
			data = JSON.parse(text.slice(start + FENCE_OPEN.length + 1, end));
		} catch {
			continue;
		}
		if (!isRecord(data) || !isRecord(data.cause) || typeof data.cause.code !== 'string' || !isComponent(data.component)) continue;
		const checks = Array.isArray(data.failingChecks) ? data.failingChecks.filter(isRecord) : [];
		return {
			component: data.component,
			target: typeof data.target === 'string' ? data.target : '',
			status: data.status === 'down' ? 'down' : 'degraded',
			cause: {
				code: data.cause.code,
				message: typeof data.cause.message === 'string' ? data.cause.message : '',
				retryable: data.cause.retryable === true,
				needsHuman: data.cause.needsHuman === true,
			},
			checks: checks.map((check) => ({
				name: String(check.name ?? 'check'),
				status: check.status === 'down' ? 'down' : 'degraded',
				message: String(check.message ?? ''),
				...(typeof check.code === 'string' ? { code: check.code } : {}),
			})),
			latencyMs: 0,
			checkedAt: new Date().toISOString(),
		};
	}
	return undefined;
}

/** The diagnosis JSON for the prompt's check result, or undefined when the prompt holds none. */
export function diagnosisFromPrompt(texts: string[]): string | undefined {
	const result = fencedResult(texts);
	if (!result) return undefined;
	let rule;
	try {
		rule = ruleDiagnosis(result, languageOf(texts));
	} catch {
		return undefined;
	}
	// A model is a little less sure than the rule it restates.
	const confidence = Math.round(Math.min(0.9, rule.confidence + 0.1) * 100) / 100;
	return JSON.stringify({ rootCause: rule.rootCause, summary: rule.summary, severity: rule.severity, confidence, recommendedActions: rule.recommendedActions });
}
