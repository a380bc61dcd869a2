/**
 * Evolution sends: sendText and sendMedia. An accepted send is stored (PENDING), announced
 * by `send.message`, and handed to the WhatsApp network (runtime.ts); media travel as their
 * caption text.
 */
import type { Reply } from '../../core/types';
import { bodyObject, digitsOnly, randomHex, stringField } from '../common';
import { fail, type Req } from './http';
import { outboundRow, runtimeOf, upsertData } from './runtime';
import type { EvolutionInstance, EvolutionMediaType, EvolutionSentMessage } from './state';

/** JSON-schema (`jsonschema` package) wording, as Evolution's dataValidate passes it through. */
function validateSendText(body: Record<string, unknown>): { number: string; text: string } {
	const problems: string[] = [];
	for (const property of ['number', 'text']) {
		if (body[property] === undefined) problems.push(`instance requires property "${property}"`);
	}
	if (body.number !== undefined && typeof body.number !== 'string') problems.push('Invalid format');
	if (body.text !== undefined && typeof body.text !== 'string') problems.push('text is not of a type(s) string');
	if (problems.length > 0) fail(400, problems);
	return { number: String(body.number), text: String(body.text) };
}

/** What a send adds to the common steps: the message's log entry and its reply body. */
interface Outgoing {
	number: string;
	text: string;
	logged?: Partial<EvolutionSentMessage>;
	messageType: string;
	message: (id: string) => Record<string, unknown>;
}

/** The steps every send shares: connection, recipient on WhatsApp, the log, the 201 reply. */
function deliver(req: Req, instance: EvolutionInstance, name: string, out: Outgoing): Reply {
	if (instance.state !== 'open') fail(500, 'Connection Closed');
	const digits = digitsOnly(out.number.split('@')[0]);
	const jid = `${digits}@s.whatsapp.net`;
	if (req.state.numbersNotOnWhatsApp.includes(digits)) fail(400, [{ jid, exists: false, number: digits }]);
	const id = `3EB0${randomHex(9).toUpperCase()}`;
	req.state.sentMessages.push({ instance: name, id, number: digits, text: out.text, at: new Date().toISOString(), ...out.logged });
	instance.counts.Message += 1;
	const row = outboundRow(instance, jid, id, out.messageType, out.message(id));
	runtimeOf(req.state).sent(name, instance, row, out.text);
	return { status: 201, body: upsertData(row) };
}

export function sendText(req: Req, instance: EvolutionInstance, name: string): Reply {
	const { number, text } = validateSendText(bodyObject(req.body));
	return deliver(req, instance, name, { number, text, messageType: 'conversation', message: () => ({ conversation: text }) });
}

const MEDIA_TYPES: EvolutionMediaType[] = ['image', 'video', 'audio', 'document'];

interface MediaRequest {
	number: string;
	mediatype: EvolutionMediaType;
	mimetype: string | undefined;
	caption: string;
	media: string;
	fileName: string | undefined;
}

/** Unverified: after the v2 docs' mediaMessageSchema and the "url or base64" check of the service. */
function validateSendMedia(body: Record<string, unknown>): MediaRequest {
	const problems: string[] = [];
	for (const property of ['number', 'mediatype', 'media']) {
		if (body[property] === undefined) problems.push(`instance requires property "${property}"`);
	}
	if (body.number !== undefined && typeof body.number !== 'string') problems.push('Invalid format');
	const mediatype = MEDIA_TYPES.find((type) => type === body.mediatype);
	if (body.mediatype !== undefined && !mediatype) problems.push(`instance.mediatype is not one of enum values: ${MEDIA_TYPES.join(',')}`);
	if (body.media !== undefined && typeof body.media !== 'string') problems.push('media is not of a type(s) string');
	if (problems.length > 0 || !mediatype) fail(400, problems);
	return {
		number: String(body.number),
		mediatype,
		mimetype: stringField(body, 'mimetype'),
		caption: stringField(body, 'caption') ?? '',
		media: String(body.media),
		fileName: stringField(body, 'fileName'),
	};
}

const PLAIN_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decoded byte count of base64 media, null for a URL; anything else (a data: URI too) is refused. */
function mediaBytes(media: string): number | null {
	if (/^https?:\/\//i.test(media)) return null;
	const compact = media.replace(/\s/g, '');
	if (compact === '' || !PLAIN_BASE64.test(compact)) fail(400, ['Owned media must be a url or base64']);
	return Buffer.from(compact, 'base64').length;
}

export function sendMedia(req: Req, instance: EvolutionInstance, name: string): Reply {
	const media = validateSendMedia(bodyObject(req.body));
	const bytes = mediaBytes(media.media);
	const messageType = `${media.mediatype}Message`;
	return deliver(req, instance, name, {
		number: media.number,
		text: media.caption,
		logged: {
			mediatype: media.mediatype,
			...(media.mimetype ? { mimetype: media.mimetype } : {}),
			...(media.fileName ? { fileName: media.fileName } : {}),
			mediaBytes: bytes,
		},
		messageType,
		message: (id) => ({
			[messageType]: {
				url: `https://mmg.whatsapp.net/v/t62.7118-24/${id}.enc`,
				mimetype: media.mimetype ?? 'application/octet-stream',
				caption: media.caption,
				...(media.fileName ? { fileName: media.fileName } : {}),
				fileLength: String(bytes ?? 0),
			},
		}),
	});
}
