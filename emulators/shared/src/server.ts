import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Listens on loopback; `port` 0 picks a free port. Resolves once the port is bound. */
export function listen(app: Express, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${host}:${bound}`,
        port: bound,
        stop: () =>
          new Promise<void>((done) => {
            // Long-polling clients hold connections open; close them so stop() is prompt.
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** `--port <p>` from argv (default 0); exits with a one-line message on a bad value. */
export function portFromArgv(argv: string[], fallback = 0): number {
  const i = argv.indexOf('--port');
  const raw = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--port='))?.slice(7);
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer between 0 and 65535 (got "${raw}")`);
    process.exit(2);
  }
  return port;
}

/** Stops the server on SIGINT/SIGTERM so `npm run emulator:*` exits cleanly. */
export function stopOnSignals(running: RunningServer): void {
  const stop = () => {
    void running.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
