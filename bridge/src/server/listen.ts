import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { ConfigError } from '../errors';

export interface HttpServer {
  /** Where a client on this machine reaches the server (loopback when bound to every interface). */
  url: string;
  port: number;
  /** What the server really listens on, for the log, e.g. `0.0.0.0:3000 (every IPv4 interface)`. */
  address: string;
  /** Stops accepting connections and waits for in-flight requests (bounded by `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

const WILDCARDS: Record<string, string> = {
  '0.0.0.0': 'every IPv4 interface',
  '::': 'every interface',
};

/** `::1` → `[::1]` in a URL or host:port. */
const hostInUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

/**
 * How long a client may take to send a request's headers, and the whole request. A Partner Center
 * delivery is a few hundred bytes sent at once; Node's defaults (60 s, 300 s) let anyone who
 * reaches the port hold a connection for five minutes per request by sending a body a byte at a
 * time, and open thousands of them. Past the limit Node answers 408 and closes the connection.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

export interface ListenOptions {
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export function listenHttp(
  app: Express,
  port: number,
  host = '0.0.0.0',
  options: ListenOptions = {},
): Promise<HttpServer> {
  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, headersTimeout);
  return new Promise((resolve, reject) => {
    const server: Server = createServer(
      {
        headersTimeout,
        requestTimeout,
        // Node checks the two timeouts on this interval (30 s by default): a fraction of the
        // shorter one keeps them close to what they say.
        connectionsCheckingInterval: Math.min(5_000, Math.ceil(headersTimeout / 2)),
      },
      app,
    );
    server.listen(port, host);
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, port, host)));
    server.once('listening', () => {
      const bound = (server.address() as AddressInfo).port;
      const wildcard = WILDCARDS[host];
      const local = wildcard ? (host === '::' ? '::1' : '127.0.0.1') : host;
      resolve({
        url: `http://${hostInUrl(local)}:${bound}`,
        port: bound,
        address: `${hostInUrl(host)}:${bound}${wildcard ? ` (${wildcard})` : ''}`,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
            // In-flight webhook requests get `graceMs` to persist and answer; then we cut them.
            setTimeout(() => server.closeAllConnections(), graceMs).unref();
          }),
      });
    });
  });
}

/** The two mistakes an operator makes here become one line naming the variable to change. */
function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  if (error.code === 'EADDRINUSE') {
    return new ConfigError(
      `BRIDGE_PORT ${port} is already in use on ${host} (another bridge or program listens there): stop it, or set BRIDGE_PORT to a free port`,
      'BRIDGE_PORT',
    );
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new ConfigError(
      `BRIDGE_HOST ${host} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its interface addresses`,
      'BRIDGE_HOST',
    );
  }
  if (error.code === 'EACCES') {
    return new ConfigError(
      `BRIDGE_PORT ${port} needs privileges this user lacks: use a port above 1023`,
      'BRIDGE_PORT',
    );
  }
  return new Error(`Failed to listen on ${host}:${port}`, { cause: error });
}
