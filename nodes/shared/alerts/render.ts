/**
 * Renders one alert model as plain text (email text, WhatsApp), Slack mrkdwn and
 * email HTML. The model's strings are redacted first (`redactModel`); here they are
 * escaped for each format, so a cause message with markup is shown, never interpreted.
 * Order everywhere: the first line (what happened, what to do), the owner's lines, the
 * links where they act, then the technical footer. The HTML is an e-mail for a phone:
 * one column, inline styles only (mail clients drop <style> and external CSS), no
 * images, no scripts, long ids allowed to wrap.
 */
import { redact } from '../redact';

export interface AlertField {
	label: string;
	value: string;
}

export interface AlertLink {
	label: string;
	text: string;
	url: string;
}

export interface AlertModel {
	title: string;
	headline: string;
	/** Why a person must act (escalations). */
	note?: string;
	/** More plain sentences for the owner, after the headline. */
	lines?: string[];
	/** Where the owner acts and the status page (only http(s) URLs). */
	links?: AlertLink[];
	/** A heading before the fields: they are the technical footer. */
	footerTitle?: string;
	fields: AlertField[];
	/** The execution link; only http(s) URLs become links. */
	link?: AlertLink;
}

/** The owner's part: headline, note, further lines. */
function bodyLines(model: AlertModel): string[] {
	return [model.headline, ...(model.note ? [model.note] : []), ...(model.lines ?? [])].filter((line) => line !== '');
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
	const lines = [model.title, ...bodyLines(model)];
	for (const link of model.links ?? []) lines.push(`${link.label}: ${link.url}`);
	lines.push('');
	if (model.footerTitle) lines.push(`-- ${model.footerTitle} --`);
	for (const field of model.fields) lines.push(`${field.label}: ${field.value}`);
	if (model.link) lines.push(`${model.link.label}: ${model.link.url}`);
	return lines.join('\n');
}

/** In <url|text> a "|" or ">" in the URL would end it early. */
function slackLink(link: AlertLink): string {
	return `<${escapeSlack(link.url).replace(/\|/g, '%7C')}|${escapeSlack(link.text)}>`;
}

export function renderSlack(model: AlertModel): string {
	const lines = [`*${escapeSlack(model.title)}*`, ...(model.headline ? [escapeSlack(model.headline)] : [])];
	if (model.note) lines.push(`_${escapeSlack(model.note)}_`);
	for (const line of model.lines ?? []) lines.push(escapeSlack(line));
	if (model.links && model.links.length > 0) lines.push(model.links.map(slackLink).join('  ·  '));
	lines.push('');
	if (model.footerTitle) lines.push(`_${escapeSlack(model.footerTitle)}_`);
	for (const field of model.fields) lines.push(`*${escapeSlack(field.label)}:* ${escapeSlack(field.value)}`);
	if (model.link) lines.push(slackLink(model.link));
	return lines.join('\n');
}

/** Inline styles of the e-mail (one place; mail clients ignore <style> blocks). */
const CSS = {
	body: 'margin:0;padding:0;background:#f3f4f6;',
	wrap: 'max-width:600px;margin:0 auto;padding:12px;box-sizing:border-box;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#111827;',
	card: 'background:#ffffff;border-radius:8px;padding:16px;border:1px solid #e5e7eb;',
	title: 'margin:0 0 12px 0;font-size:18px;line-height:1.35;font-weight:700;overflow-wrap:anywhere;',
	line: 'margin:0 0 10px 0;font-size:15px;line-height:1.5;overflow-wrap:anywhere;',
	note: 'margin:0 0 10px 0;font-size:15px;line-height:1.5;font-weight:600;color:#991b1b;overflow-wrap:anywhere;',
	button: 'display:inline-block;margin:4px 8px 8px 0;padding:10px 14px;border-radius:6px;background:#1d4ed8;color:#ffffff;text-decoration:none;font-size:15px;font-weight:600;',
	footer: 'margin:16px 0 0 0;padding-top:12px;border-top:1px solid #e5e7eb;font-size:12px;line-height:1.5;color:#4b5563;',
	footerTitle: 'margin:0 0 6px 0;font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:0.04em;color:#6b7280;',
	field: 'margin:0 0 4px 0;overflow-wrap:anywhere;word-break:break-word;',
	footerLink: 'color:#1d4ed8;',
} as const;

const button = (link: AlertLink): string => `<a href="${escapeHtml(link.url)}" style="${CSS.button}">${escapeHtml(link.text)}</a>`;

export function renderHtml(model: AlertModel): string {
	const parts = [
		'<!DOCTYPE html>',
		'<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>',
		`<body style="${CSS.body}"><div style="${CSS.wrap}"><div style="${CSS.card}">`,
		`<h1 style="${CSS.title}">${escapeHtml(model.title)}</h1>`,
	];
	if (model.headline) parts.push(`<p style="${CSS.line}">${escapeHtml(model.headline)}</p>`);
	if (model.note) parts.push(`<p style="${CSS.note}">${escapeHtml(model.note)}</p>`);
	for (const line of model.lines ?? []) parts.push(`<p style="${CSS.line}">${escapeHtml(line)}</p>`);
	if (model.links && model.links.length > 0) parts.push(`<p style="margin:4px 0 0 0;">${model.links.map(button).join('')}</p>`);
	parts.push(`<div style="${CSS.footer}">`);
	if (model.footerTitle) parts.push(`<p style="${CSS.footerTitle}">${escapeHtml(model.footerTitle)}</p>`);
	for (const field of model.fields) parts.push(`<p style="${CSS.field}"><strong>${escapeHtml(field.label)}:</strong> ${escapeHtml(field.value)}</p>`);
	if (model.link) parts.push(`<p style="${CSS.field}"><a href="${escapeHtml(model.link.url)}" style="${CSS.footerLink}">${escapeHtml(model.link.text)}</a></p>`);
	parts.push('</div></div></div></body></html>');
	return parts.join('\n');
}

/** Every string a person reads through the shared `redact`, with the secrets the caller knows (labels and link text are ours). */
export function redactModel(model: AlertModel, secrets: string[]): AlertModel {
	const r = (text: string): string => redact(text, { secrets });
	return {
		title: r(model.title),
		headline: r(model.headline),
		...(model.note ? { note: r(model.note) } : {}),
		...(model.lines ? { lines: model.lines.map(r) } : {}),
		...(model.links ? { links: model.links.map((link) => ({ ...link, url: r(link.url) })) } : {}),
		...(model.footerTitle ? { footerTitle: model.footerTitle } : {}),
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
