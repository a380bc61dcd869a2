/**
 * TCP port helpers shared by `npm start`, the test harness and the benchmarks. A port
 * returned by `freePort` is only known to be free at that moment (another process may
 * grab it before we bind), so callers that spawn servers retry on "address in use".
 */
import net from 'node:net';

/** True when nothing listens on host:port (we could bind it). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, host, () => server.close(() => resolve(true)));
	});
}

/** A port that was free on host a moment ago: listen on 0, read it, close. */
export function freePort(host = '127.0.0.1'): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, host, () => {
			const address = server.address();
			if (address === null || typeof address === 'string') {
				server.close();
				reject(new Error('could not read the port of a listening socket'));
				return;
			}
			server.close(() => resolve(address.port));
		});
	});
}

/** True when something accepts TCP connections on host:port right now. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host });
		const finish = (open: boolean): void => {
			socket.destroy();
			resolve(open);
		};
		socket.setTimeout(timeoutMs, () => finish(false));
		socket.once('connect', () => finish(true));
		socket.once('error', () => finish(false));
	});
}
