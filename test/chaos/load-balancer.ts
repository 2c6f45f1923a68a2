/**
 * The load balancer an operator puts in front of bridge replicas, reduced to what the replica
 * chaos run needs: Partner Center's webhook deliveries go to one loopback URL and are forwarded,
 * raw body and headers unchanged (the signature covers them), to the next replica that answers.
 * A replica that is down (connection refused) is skipped, as a health-checked pool would.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadBalancer {
  url: string;
  /** Requests forwarded per backend port. */
  forwarded: Map<number, number>;
  close(): Promise<void>;
}

function forward(port: number, req: IncomingMessage, body: Buffer) {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>(
    (resolve, reject) => {
      const out = request(
        { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    },
  );
}

export async function startLoadBalancer(ports: () => readonly number[]): Promise<LoadBalancer> {
  let next = 0;
  const forwarded = new Map<number, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const backends = ports();
      void (async () => {
        for (let tried = 0; tried < backends.length; tried += 1) {
          const port = backends[(next += 1) % backends.length]!;
          try {
            const answer = await forward(port, req, body);
            forwarded.set(port, (forwarded.get(port) ?? 0) + 1);
            res.writeHead(answer.status, answer.headers);
            res.end(answer.body);
            return;
          } catch {
            // That replica is down: try the next one.
          }
        }
        res.writeHead(502).end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
