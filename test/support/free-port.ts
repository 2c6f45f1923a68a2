import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago. The bridge needs its port before it starts
 * (BRIDGE_PUBLIC_URL is registered as the webhook URL), so it cannot simply listen on 0.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
