/**
 * Renders one alert model as plain text (email text, WhatsApp), Slack mrkdwn and
 * email HTML. The model's strings are redacted first (`redactModel`); here they are
 * escaped for each format, so a cause message with markup is shown, never interpreted.
 */
import { redact } from '../redact';

export interface AlertField {
	label: string;
	value: string;
}

export interface AlertModel {
	title: string;
	headline: string;
	/** Why a person must act (escalations). */
	note?: string;
	fields: AlertField[];
	/** The execution link; only http(s) URLs become links. */
	link?: { label: string; text: string; url: string };
}

/** An alert for every channel: the shape the shipped Alert sub-workflow sends (`alertMessage`). */
export interface FormattedAlert {
	title: string;
	/** Plain text: email text part and WhatsApp. */
	text: string;
	/** Slack mrkdwn. */
	slackText: string;
	/** The JSON body a Slack incoming webhook takes (`{"text": slackText}`), so the Alert workflow posts it as is. */
	slackBody: string;
	emailSubject: string;
	emailHtml: string;
}

export function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeSlack(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderText(model: AlertModel): string {
	const lines = [model.title, model.headline];
	if (model.note) lines.push(model.note);
	lines.push('');
	for (const field of model.fields) lines.push(`${field.label}: ${field.value}`);
	if (model.link) lines.push(`${model.link.label}: ${model.link.url}`);
	return lines.join('\n');
}

export function renderSlack(model: AlertModel): string {
	const lines = [`*${escapeSlack(model.title)}*`, escapeSlack(model.headline)];
	if (model.note) lines.push(`_${escapeSlack(model.note)}_`);
	lines.push('');
	for (const field of model.fields) lines.push(`*${escapeSlack(field.label)}:* ${escapeSlack(field.value)}`);
	// In <url|text> a "|" or ">" in the URL would end it early.
	if (model.link) lines.push(`<${escapeSlack(model.link.url).replace(/\|/g, '%7C')}|${escapeSlack(model.link.text)}>`);
	return lines.join('\n');
}

export function renderHtml(model: AlertModel): string {
	const parts = [`<h2>${escapeHtml(model.title)}</h2>`, `<p>${escapeHtml(model.headline)}</p>`];
	if (model.note) parts.push(`<p><strong>${escapeHtml(model.note)}</strong></p>`);
	parts.push('<ul>');
	for (const field of model.fields) parts.push(`<li><strong>${escapeHtml(field.label)}:</strong> ${escapeHtml(field.value)}</li>`);
	parts.push('</ul>');
	if (model.link) parts.push(`<p><a href="${escapeHtml(model.link.url)}">${escapeHtml(model.link.text)}</a></p>`);
	return parts.join('\n');
}

/** Every string a person reads through the shared `redact`, with the secrets the caller knows (labels and link text are ours). */
export function redactModel(model: AlertModel, secrets: string[]): AlertModel {
	const r = (text: string): string => redact(text, { secrets });
	return {
		title: r(model.title),
		headline: r(model.headline),
		...(model.note ? { note: r(model.note) } : {}),
		fields: model.fields.map((field) => ({ label: field.label, value: r(field.value) })),
		...(model.link ? { link: { label: model.link.label, text: model.link.text, url: r(model.link.url) } } : {}),
	};
}

/** The Slack text and the webhook body that carries it. */
export function slackFields(slackText: string): Pick<FormattedAlert, 'slackText' | 'slackBody'> {
	return { slackText, slackBody: JSON.stringify({ text: slackText }) };
}

/** The alert for every channel from one (redacted) model. */
export function renderAlert(model: AlertModel): FormattedAlert {
	return {
		title: model.title,
		text: renderText(model),
		...slackFields(renderSlack(model)),
		// One line: a newline in a header would start another header.
		emailSubject: model.title.replace(/[\r\n]+/g, ' ').trim(),
		emailHtml: renderHtml(model),
	};
}
