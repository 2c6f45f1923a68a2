import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface HttpServer {
  url: string;
  port: number;
  /** Stops accepting connections and waits for in-flight requests (bounded by `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

export function listenHttp(app: Express, port: number, host = '0.0.0.0'): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host);
    server.once('error', (error) =>
      reject(new Error(`Failed to listen on port ${port}`, { cause: error })),
    );
    server.once('listening', () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${bound}`,
        port: bound,
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
