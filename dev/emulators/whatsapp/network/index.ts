export { DEFAULT_TIMING, WhatsAppNetwork } from './network';
export type {
	AckListener,
	DeviceStatus,
	NetworkDevice,
	NetworkEndpoint,
	NetworkLogEntry,
	NetworkTiming,
	WireAck,
	WireMessage,
} from './types';
