/**
 * The status page as one self-contained HTML5 document for a phone browser: inline
 * style only, no script, no external asset, every text escaped. Each component card
 * carries a badge with `data-component` and `data-status`, coloured by status.
 */
import { formatDuration } from '../../shared/alerts/duration';
import { escapeHtml } from '../../shared/alerts/render';
import { PAGE_PHRASES, type PagePhrases } from './pagePhrases';
import { DAY_MS, WEEK_MS } from '../../shared/timeUnits';
import { formatPercent } from './percent';
import { PAGE_STYLE } from './pageStyle';
import type { Availability, ComponentView, IncidentView, RecoveryView, StatusPageModel } from './types';

const h = escapeHtml;

function availabilityBlock(label: string, value: Availability, model: StatusPageModel, p: PagePhrases): string {
	const shown = value.ratio === null ? p.noAvailability : formatPercent(value.ratio, model.language);
	const notes = [
		...(value.downMs > 0 ? [p.downFor(formatDuration(value.downMs))] : []),
		...(value.degradedMs > 0 ? [p.degradedFor(formatDuration(value.degradedMs))] : []),
	];
	return [
		'<div>',
		`<span class="muted">${h(`${p.availability} ${label}`)}</span>`,
		`<span class="value">${h(shown)}</span>`,
		...(notes.length > 0 ? [`<span class="muted">${h(notes.join(' · '))}</span>`] : []),
		'</div>',
	].join('');
}

/**
 * The 24 h and 7 d figures, each labelled by what it really covers: while monitoring has run
 * for less than a window, that figure is "since monitoring started" (and a 7 d figure equal
 * to the 24 h one is not repeated).
 */
function availabilityBlocks(view: ComponentView, model: StatusPageModel, p: PagePhrases): string[] {
	const { day, week } = view.availability;
	const sinceStart = (value: Availability) => p.sinceStart(formatDuration(value.coveredMs));
	if (week.coveredMs < DAY_MS) return [availabilityBlock(day.coveredMs > 0 ? sinceStart(day) : p.lastDay, day, model, p)];
	return [availabilityBlock(p.lastDay, day, model, p), availabilityBlock(week.coveredMs < WEEK_MS ? sinceStart(week) : p.lastWeek, week, model, p)];
}

/** A target by the owner's name, its id in the tooltip when they differ. */
function targetLabel(name: string, target: string): string {
	return name === target ? h(name) : `<span title="${h(target)}">${h(name)}</span>`;
}

function incidentItem(incident: IncidentView, p: PagePhrases): string {
	return [
		`<li class="incident s-${incident.status}">`,
		`<p><strong>${h(p.incidentHead(p.status[incident.status], incident.age))}</strong> · ${targetLabel(incident.name, incident.target)}</p>`,
		...(incident.escalated
			? [`<p><span class="flag">${h(p.escalated)}</span>${incident.escalationReason ? ` ${h(p.escalationWhy[incident.escalationReason])}` : ''}</p>`]
			: []),
		`<p>${h(p.cause)}: <span class="code">${h(incident.causeCode)}</span></p>`,
		...(incident.causeMessage ? [`<p>${h(incident.causeMessage)}</p>`] : []),
		`<p class="muted">${h(`${p.since(incident.openedAtText)} · ${p.attempts(incident.attempts)}`)}</p>`,
		'</li>',
	].join('');
}

function componentCard(view: ComponentView, model: StatusPageModel, p: PagePhrases): string {
	const stale = view.targets.some((t) => t.stale);
	const checkLine = view.lastCheckedAgo === null ? '' : stale ? p.staleSince(oldestAgo(view)) : p.lastCheck(view.lastCheckedAgo);
	const targets = view.targets
		.map((t) => `<li><span class="dot s-${t.status}" aria-hidden="true"></span><span><span class="name">${targetLabel(t.name, t.target)}</span> <span class="muted">${h(`${p.status[t.status]} · ${p.checkedAgo(t.checkedAgo)}`)}</span></span></li>`)
		.join('');
	const incidents =
		view.incidents.length > 0
			? `<h3>${h(p.openIncidents)}</h3><ul>${view.incidents.map((i) => incidentItem(i, p)).join('')}</ul>`
			: `<p class="muted">${h(p.noOpenIncidents)}</p>`;
	return [
		`<article class="card s-${view.status}">`,
		'<div class="head">',
		`<h2>${h(p.component[view.component])}</h2>`,
		`<span class="badge s-${view.status}" data-component="${h(view.component)}" data-status="${h(view.status)}">${h(p.status[view.status])}</span>`,
		'</div>',
		...(checkLine ? [`<p class="muted">${h(checkLine)}</p>`] : []),
		`<ul class="targets">${targets}</ul>`,
		incidents,
		'<div class="avail">',
		...availabilityBlocks(view, model, p),
		'</div>',
		'</article>',
	].join('\n');
}

/** The age of the oldest stale check: how long the component has gone unchecked. */
function oldestAgo(view: ComponentView): string {
	const stale = view.targets.filter((t) => t.stale).sort((a, b) => a.checkedAt.localeCompare(b.checkedAt));
	return stale[0]?.checkedAgo ?? view.lastCheckedAgo ?? '';
}

function recoveryItem(recovery: RecoveryView, p: PagePhrases): string {
	const subject = recovery.component ? p.component[recovery.component] : p.unknownComponent;
	const details = [
		...(recovery.duration ? [p.took(recovery.duration)] : []),
		...(recovery.manual ? [p.manual] : []),
	];
	return [
		'<li>',
		`<p><strong>${h(recovery.atText)}</strong> · ${h(subject)}${recovery.target ? ` (${targetLabel(recovery.name ?? recovery.target, recovery.target)})` : ''}</p>`,
		`<p><span class="code">${h(recovery.action ?? p.noAction)}</span>: <span class="o-${recovery.outcome}">${h(p.outcome[recovery.outcome])}</span>${details.length > 0 ? ` · ${h(details.join(' · '))}` : ''}</p>`,
		...(recovery.link ? [`<p><a href="${h(recovery.link)}" rel="noreferrer">${h(p.openExecution)}</a></p>`] : []),
		'</li>',
	].join('');
}

function recoveriesSection(model: StatusPageModel, p: PagePhrases): string {
	const body =
		model.recoveries === null
			? `<p class="muted">${h(p.historyUnavailable)}</p>`
			: model.recoveries.length === 0
				? `<p class="muted">${h(p.noRecoveries)}</p>`
				: `<ol>${model.recoveries.map((r) => recoveryItem(r, p)).join('\n')}</ol>`;
	const note = model.recoveriesNote ? `<p class="muted">${h(model.recoveriesNote)}</p>` : '';
	return `<section class="recoveries"><h2>${h(p.recoveries)}</h2>${note}${body}</section>`;
}

function pauseBanner(model: StatusPageModel, p: PagePhrases): string {
	if (!model.pause) return '';
	const { pause } = model;
	return [
		'<section class="pause" data-paused="true">',
		`<p><strong>${h(p.pausedUntil(pause.untilText, pause.remaining))}</strong></p>`,
		...(pause.reason ? [`<p>${h(p.pauseReason(pause.reason, pause.setBy))}</p>`] : []),
		'</section>',
	].join('');
}

export function renderStatusPage(model: StatusPageModel): string {
	const p = PAGE_PHRASES[model.language];
	const overallText = model.components.length === 0 ? p.noDataYet : p.overall[model.overall];
	const cards = model.components.map((c) => componentCard(c, model, p)).join('\n');
	const withoutData = model.withoutData.length > 0 && model.components.length > 0 ? `<p class="muted">${h(p.withoutData(model.withoutData.map((c) => p.component[c]).join(', ')))}</p>` : '';
	return [
		'<!DOCTYPE html>',
		`<html lang="${h(model.language)}">`,
		'<head>',
		'<meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		'<meta http-equiv="refresh" content="60">',
		'<meta name="robots" content="noindex, nofollow">',
		`<title>${h(`${model.title} · ${p.status[model.overall]}`)}</title>`,
		`<style>${PAGE_STYLE}</style>`,
		'</head>',
		'<body>',
		'<header>',
		`<h1>${h(model.title)}</h1>`,
		`<p class="muted">${h(p.updated(model.generatedAtText, model.timezone))}</p>`,
		'</header>',
		`<section class="banner s-${model.overall}" data-overall="${h(model.overall)}">${h(overallText)}</section>`,
		pauseBanner(model, p),
		'<main>',
		cards,
		withoutData,
		'</main>',
		recoveriesSection(model, p),
		`<footer><p class="muted">${h(p.autoRefresh)}</p></footer>`,
		'</body>',
		'</html>',
		'',
	]
		.filter((line) => line !== '')
		.join('\n');
}
