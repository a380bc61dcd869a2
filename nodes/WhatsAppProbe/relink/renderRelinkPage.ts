/**
 * The relink page as one self-contained HTML5 document for a phone: no script, no external
 * asset (the QR is a data: image), one inline stylesheet, every text escaped. While a person
 * scans it refreshes itself (meta refresh to the same link without the typed number, so a
 * pairing code is asked for only when the form is sent). A refused link's page says why
 * and nothing else; the connected page does not refresh and offers nothing more.
 */
import { escapeHtml } from '../../shared/alerts/render';
import { LINK_TOKEN_PARAMETER } from '../../shared/links/relinkLink';
import type { LinkRejection } from '../../shared/links/incidentLinkToken';
import type { RelinkLanguage, RelinkPageModel } from './relinkPage';

const h = escapeHtml;

interface RelinkPhrases {
	title: string;
	refusedTitle: string;
	refused: Record<LinkRejection, string>;
	scanSteps: string;
	qrAlt: string;
	refreshes: (seconds: number) => string;
	expires: (time: string) => string;
	pairingTitle: string;
	pairingHelp: string;
	pairingLabel: string;
	pairingButton: string;
	pairingCodeIs: (number: string) => string;
	pairingSteps: string;
	numberInvalid: string;
	noQrImage: string;
	connectedTitle: string;
	connected: string;
	waitingTitle: string;
}

const PHRASES: Record<RelinkLanguage, RelinkPhrases> = {
	en: {
		title: 'Link the shop’s WhatsApp again',
		refusedTitle: 'This link does not work',
		refused: {
			malformed: 'This link is not a valid relink link.',
			forged: 'This link was not issued by this Monitor.',
			expired: 'This link has expired; use the link in the latest alert.',
			wrong_target: 'This link is for another WhatsApp number.',
			already_used: 'This link was already used: WhatsApp was linked again for this incident.',
		},
		scanSteps: 'On the shop’s phone open WhatsApp → Linked devices → Link a device, and scan this code.',
		qrAlt: 'QR code to link WhatsApp',
		refreshes: (seconds) => `This page refreshes itself every ${seconds} s and always shows the current code (WhatsApp replaces it about every 20 seconds).`,
		expires: (time) => `This link works until ${time} UTC.`,
		pairingTitle: 'No camera? Use a pairing code',
		pairingHelp: 'Type the shop’s WhatsApp number in international format (e.g. 5491155551234) to get a code to enter on the phone.',
		pairingLabel: 'Shop’s WhatsApp number',
		pairingButton: 'Get a pairing code',
		pairingCodeIs: (number) => `Pairing code for ${number}:`,
		pairingSteps: 'On the phone: WhatsApp → Linked devices → Link a device → Link with phone number instead, then type this code. If it is refused, ask for a new one.',
		numberInvalid: 'That is not a phone number: use digits in international format, e.g. 5491155551234.',
		noQrImage: 'The gateway gave no QR image right now; use a pairing code or wait for the next refresh.',
		connectedTitle: 'WhatsApp is connected ✓',
		connected: 'The shop’s WhatsApp is linked again. The incident closes at the next check; this link no longer works.',
		waitingTitle: 'Waiting for the WhatsApp gateway',
	},
	es: {
		title: 'Vincular de nuevo el WhatsApp de la tienda',
		refusedTitle: 'Este enlace no funciona',
		refused: {
			malformed: 'Este enlace no es un enlace de vinculación válido.',
			forged: 'Este enlace no lo emitió este Monitor.',
			expired: 'Este enlace venció; use el enlace del último aviso.',
			wrong_target: 'Este enlace es para otro número de WhatsApp.',
			already_used: 'Este enlace ya se usó: WhatsApp ya se vinculó de nuevo para este incidente.',
		},
		scanSteps: 'En el teléfono de la tienda abra WhatsApp → Dispositivos vinculados → Vincular un dispositivo, y escanee este código.',
		qrAlt: 'Código QR para vincular WhatsApp',
		refreshes: (seconds) => `Esta página se actualiza sola cada ${seconds} s y siempre muestra el código actual (WhatsApp lo cambia cada unos 20 segundos).`,
		expires: (time) => `Este enlace funciona hasta las ${time} UTC.`,
		pairingTitle: '¿Sin cámara? Use un código de vinculación',
		pairingHelp: 'Escriba el número de WhatsApp de la tienda en formato internacional (p. ej. 5491155551234) para recibir un código que se ingresa en el teléfono.',
		pairingLabel: 'Número de WhatsApp de la tienda',
		pairingButton: 'Pedir un código de vinculación',
		pairingCodeIs: (number) => `Código de vinculación para ${number}:`,
		pairingSteps: 'En el teléfono: WhatsApp → Dispositivos vinculados → Vincular un dispositivo → Vincular con el número de teléfono, y escriba este código. Si lo rechaza, pida uno nuevo.',
		numberInvalid: 'Eso no es un número de teléfono: use dígitos en formato internacional, p. ej. 5491155551234.',
		noQrImage: 'La pasarela no dio una imagen QR en este momento; use un código de vinculación o espere la próxima actualización.',
		connectedTitle: 'WhatsApp está conectado ✓',
		connected: 'El WhatsApp de la tienda quedó vinculado. El incidente se cierra en la próxima comprobación; este enlace ya no funciona.',
		waitingTitle: 'Esperando a la pasarela de WhatsApp',
	},
};

const STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;padding:16px;background:#f6f8fa;color:#1f2328;font:18px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere}
main{max-width:520px;margin:0 auto}
h1{font-size:24px;margin:0 0 12px}
h2{font-size:19px;margin:18px 0 6px}
p{margin:6px 0}
.card{margin:12px 0;padding:14px 16px;border-radius:12px;background:#fff;border:1px solid #d0d7de}
.qr{display:block;width:100%;max-width:320px;height:auto;margin:8px auto;image-rendering:pixelated;background:#fff}
.muted{color:#57606a;font-size:16px}
.ok{color:#1a7f37}
.bad{color:#cf222e}
.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:34px;font-weight:700;letter-spacing:4px;text-align:center;margin:10px 0}
label{display:block;font-weight:600;margin:8px 0 4px}
input{width:100%;font-size:20px;padding:10px;border:1px solid #8c959f;border-radius:8px}
button{margin-top:10px;width:100%;font-size:18px;padding:12px;border:0;border-radius:8px;background:#1a7f37;color:#fff;font-weight:700}
`;

function utcTime(epochMs: number): string {
	return new Date(epochMs).toISOString().slice(11, 16);
}

function document(language: RelinkLanguage, title: string, body: string[], refresh?: { seconds: number; token: string }): string {
	// The refresh goes back to the bare link: a pairing code is asked for only when the form is sent.
	const refreshTag = refresh ? [`<meta http-equiv="refresh" content="${refresh.seconds};url=?${LINK_TOKEN_PARAMETER}=${h(encodeURIComponent(refresh.token))}">`] : [];
	return [
		'<!DOCTYPE html>',
		`<html lang="${h(language)}">`,
		'<head>',
		'<meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		...refreshTag,
		'<meta name="robots" content="noindex, nofollow">',
		'<meta name="referrer" content="no-referrer">',
		`<title>${h(title)}</title>`,
		`<style>${STYLE}</style>`,
		'</head>',
		'<body>',
		'<main>',
		...body,
		'</main>',
		'</body>',
		'</html>',
	].join('\n');
}

function pairingForm(token: string, p: RelinkPhrases, number?: string): string[] {
	return [
		`<h2>${h(p.pairingTitle)}</h2>`,
		`<p class="muted">${h(p.pairingHelp)}</p>`,
		'<form method="get">',
		`<input type="hidden" name="${LINK_TOKEN_PARAMETER}" value="${h(token)}">`,
		`<label for="number">${h(p.pairingLabel)}</label>`,
		`<input id="number" name="number" type="tel" inputmode="tel" autocomplete="tel" value="${h(number ?? '')}" placeholder="5491155551234">`,
		`<button type="submit">${h(p.pairingButton)}</button>`,
		'</form>',
	];
}

export function renderRelinkPage(model: RelinkPageModel): string {
	const p = PHRASES[model.language];
	switch (model.state) {
		case 'refused':
			return document(model.language, p.refusedTitle, [`<h1 class="bad" data-state="refused">${h(p.refusedTitle)}</h1>`, `<p>${h(p.refused[model.reason])}</p>`]);
		case 'connected':
			return document(model.language, p.connectedTitle, [`<h1 class="ok" data-state="connected">${h(p.connectedTitle)}</h1>`, `<p>${h(p.connected)}</p>`]);
		case 'waiting':
			return document(
				model.language,
				p.waitingTitle,
				[
					`<h1 data-state="waiting">${h(p.waitingTitle)}</h1>`,
					`<div class="card"><p>${h(model.reason)}</p></div>`,
					`<p class="muted">${h(p.refreshes(model.refreshSeconds))}</p>`,
					`<p class="muted">${h(p.expires(utcTime(model.expiresAt)))}</p>`,
				],
				{ seconds: model.refreshSeconds, token: model.token },
			);
		case 'scan': {
			const qr = model.qrPng
				? [`<img class="qr" id="qr" alt="${h(p.qrAlt)}" src="data:image/png;base64,${model.qrPng}">`]
				: [`<p class="muted">${h(p.noQrImage)}</p>`];
			const pairing = model.pairingCode
				? [`<div class="card" data-pairing="true"><p>${h(p.pairingCodeIs(model.pairingNumber ?? ''))}</p><p class="code" id="pairing-code">${h(model.pairingCode)}</p><p class="muted">${h(p.pairingSteps)}</p></div>`]
				: [];
			return document(
				model.language,
				p.title,
				[
					`<h1 data-state="scan">${h(p.title)}</h1>`,
					...pairing,
					'<div class="card">',
					`<p>${h(p.scanSteps)}</p>`,
					...qr,
					'</div>',
					`<p class="muted">${h(p.refreshes(model.refreshSeconds))}</p>`,
					`<p class="muted">${h(p.expires(utcTime(model.expiresAt)))}</p>`,
					...(model.numberInvalid ? [`<p class="bad" data-number-invalid="true">${h(p.numberInvalid)}</p>`] : []),
					'<div class="card">',
					...pairingForm(model.token, p, model.pairingNumber),
					'</div>',
				],
				{ seconds: model.refreshSeconds, token: model.token },
			);
		}
	}
}
