/**
 * A bridge started while its Postgres store was unreachable (DEPLOY.md section 10: replicas on one
 * database) used to keep that first failure for good: every store call awaited the same rejected
 * open, so it logged "bridge ready" and failed every loop until restarted, even after Postgres came
 * back (found in the operator walkthrough). The store opens on the first call after Postgres
 * answers. Postgres is real; the outage is a loopback port where nothing listens yet, later a plain
 * TCP forwarder to the server.
 */
import { createServer, connect, type Server } from 'node:net';
import { TransientError } from '../../src/errors';
import { PostgresStore } from '../../src/store';
import { freePort } from '../../../test/support/free-port';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres-server';

describe('Postgres store opened during an outage', () => {
  let server: PostgresServer;
  let forwarder: Server | undefined;

  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((done) => (forwarder ? forwarder.close(() => done()) : done()));
    await server?.stop();
  }, 30_000);

  it('fails while Postgres does not answer, then opens once it does, without a restart', async () => {
    const port = await freePort();
    const url = server.url.replace(`:${server.port}/`, `:${port}/`);
    const store = new PostgresStore(url, { schema: 'reopen', maxConnections: 2 });
    try {
      const failure = await store.ready().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failure?.message).toBe(
        'Failed to open the Postgres state store at BRIDGE_DATABASE_URL',
      );
      expect(failure?.cause).toBeInstanceOf(TransientError);
      // Still down: the next call tries again and fails the same way.
      await expect(store.getWatermark('w')).rejects.toThrow(/Failed to open/);

      // Postgres answers at that address now.
      const listening = createServer((client) => {
        const upstream = connect(server.port, '127.0.0.1');
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      forwarder = listening;
      await new Promise<void>((done) => listening.listen(port, '127.0.0.1', done));

      await store.ready();
      await store.setWatermark('w', '1');
      expect(await store.getWatermark('w')).toBe('1');
    } finally {
      await store.close();
    }
  }, 60_000);
});
