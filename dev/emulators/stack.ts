/**
 * The whole emulated SaaS stack in one call: every emulator on its own port (fixed
 * ports for a demo, free ports for tests). Used by the tests now and by the demo.
 */
import { createSlackEmulator } from './alerts/slack';
import type { Emulator } from './core/emulator';
import { createAnthropicEmulator } from './llm/anthropic';
import { createGroqEmulator } from './llm/groq';
import { createOpenAiEmulator } from './llm/openai';
import { createMercadoPagoEmulator } from './payments/mercadopago';
import { createPayPalEmulator } from './payments/paypal';
import { createCloudApiEmulator } from './whatsapp/cloudApi';
import { createEvolutionEmulator } from './whatsapp/evolution';
import { WhatsAppNetwork } from './whatsapp/network';
import { createWahaEmulator } from './whatsapp/waha';

/**
 * Every emulator by name, with the port the demo gives it (base port + offset). The WhatsApp
 * gateways take the network their numbers live on (a private one each when none is given).
 */
export const STACK = {
	cloudApi: { create: (network?: WhatsAppNetwork) => createCloudApiEmulator({}, { network }), offset: 0 },
	evolution: { create: (network?: WhatsAppNetwork) => createEvolutionEmulator({}, { network }), offset: 1 },
	waha: { create: (network?: WhatsAppNetwork) => createWahaEmulator({}, { network }), offset: 2 },
	mercadopago: { create: () => createMercadoPagoEmulator(), offset: 3 },
	paypal: { create: () => createPayPalEmulator(), offset: 4 },
	groq: { create: () => createGroqEmulator(), offset: 5 },
	openai: { create: () => createOpenAiEmulator(), offset: 6 },
	anthropic: { create: () => createAnthropicEmulator(), offset: 7 },
	slack: { create: () => createSlackEmulator(), offset: 8 },
} as const;

export type EmulatorName = keyof typeof STACK;
// Each emulator has its own state type; the stack only needs the engine's common surface.
export type EmulatedStack = Record<EmulatorName, Emulator<object>> & {
	/** The one WhatsApp network all the stack's gateways attach to. */
	network: WhatsAppNetwork;
	close(): Promise<void>;
};

/** Starts every emulator: on `basePort + offset` when a base port is given, else on free ports. */
export async function startEmulatedStack(options: { basePort?: number; host?: string } = {}): Promise<EmulatedStack> {
	const started: Partial<Record<EmulatorName, Emulator<object>>> = {};
	const network = new WhatsAppNetwork();
	try {
		for (const [name, entry] of Object.entries(STACK) as Array<[EmulatorName, (typeof STACK)[EmulatorName]]>) {
			const port = options.basePort === undefined ? 0 : options.basePort + entry.offset;
			started[name] = await (entry.create(network) as Emulator<object>).start(port, options.host);
		}
	} catch (error) {
		await Promise.all(Object.values(started).map((e) => e?.close()));
		network.stop();
		throw error;
	}
	const emulators = started as Record<EmulatorName, Emulator<object>>;
	return {
		...emulators,
		network,
		async close() {
			await Promise.all(Object.values(emulators).map((e) => e.close()));
			network.stop();
		},
	};
}
