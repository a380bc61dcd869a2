/**
 * The status page's only stylesheet, inlined: system fonts, large text for a phone,
 * one colour per status. No url(), no @import, no web fonts: the page loads nothing.
 */
import type { PageStatus } from './types';

export const STATUS_COLOURS: Record<PageStatus, string> = {
	healthy: '#1a7f37',
	degraded: '#bf8700',
	down: '#cf222e',
	unknown: '#6e7781',
};

const statusRules = (Object.entries(STATUS_COLOURS) as Array<[PageStatus, string]>)
	.map(([status, colour]) => `.s-${status}{--c:${colour}}`)
	.join('\n');

export const PAGE_STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;padding:16px;background:#f6f8fa;color:#1f2328;font:18px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere;word-break:break-word}
main,header,footer,section{max-width:720px;margin:0 auto}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:21px;margin:0}
h3{font-size:18px;margin:14px 0 6px}
p{margin:4px 0}
ul,ol{margin:0;padding:0;list-style:none}
.muted{color:#57606a;font-size:16px}
.banner{margin:12px auto;padding:14px 16px;border-radius:12px;background:var(--c);color:#fff;font-size:20px;font-weight:700}
.pause{margin:12px auto;padding:14px 16px;border-radius:12px;background:#fff8c5;border:2px solid #bf8700}
.card{margin:12px auto;padding:14px 16px;border-radius:12px;background:#fff;border:1px solid #d0d7de;border-left:8px solid var(--c)}
.head{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:8px}
.badge{display:inline-block;padding:4px 14px 4px 18px;border-radius:8px;background:var(--c);color:#fff;font-size:17px;font-weight:700;line-height:1.3}
.targets li{display:flex;align-items:baseline;gap:8px;margin:6px 0}
.dot{flex:none;width:12px;height:12px;border-radius:50%;background:var(--c)}
.incident{margin:8px 0;padding:10px 12px;border-radius:8px;background:#f6f8fa;border-left:4px solid var(--c)}
.flag{display:inline-block;margin:4px 0;padding:2px 10px;border-radius:6px;background:#1f2328;color:#fff;font-size:16px;font-weight:700}
.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:16px}
.avail{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.avail div{flex:1 1 140px;padding:8px 10px;border-radius:8px;background:#f6f8fa}
.avail .value{display:block;font-size:22px;font-weight:700}
.recoveries{margin-top:20px}
.recoveries li{margin:8px 0;padding:10px 12px;border-radius:8px;background:#fff;border:1px solid #d0d7de}
.o-success{color:#1a7f37;font-weight:700}
.o-failed{color:#cf222e;font-weight:700}
.o-escalated{color:#bf8700;font-weight:700}
.o-dry_run{color:#57606a;font-weight:700}
.o-not_needed{color:#57606a}
a{color:#0969da}
footer{margin-top:20px}
${statusRules}
`;
