import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpFetch } from '../../src/partner-center';

/**
 * The Referrals API's fetch over undici's `request` must answer exactly as the global fetch does
 * for everything api-request.ts and the circuit breaker rely on: status, headers, body text, no
 * body on 204, a redirect refused, a timeout as the signal's reason, a refused connection as
 * `TypeError: fetch failed` with its cause. Each case runs against both, over loopback.
 */
describe('createHttpFetch', () => {
  let server: Server;
  let base: string;
  let seen: { method?: string; headers: IncomingMessage['headers']; body: string }[];
  const handlers: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/json': (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('etag', '"v1"');
      res.end('{"id":"r-1"}');
    },
    '/no-content': (_req, res) => {
      res.statusCode = 204;
      res.end();
    },
    '/redirect': (_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', '/json');
      res.end();
    },
    '/error': (_req, res) => {
      res.statusCode = 412;
      res.setHeader('content-type', 'application/json');
      res.end('{"error":{"code":"preconditionFailed"}}');
    },
    '/slow': () => undefined, // never answers
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        handlers[req.url ?? '']?.(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (seen = []));
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const clients = [
    ['undici request', createHttpFetch()],
    ['global fetch', fetch],
  ] as const;

  it.each(clients)(
    '%s: sends method, headers and body; returns status, headers and text',
    async (_, f) => {
      const response = await f(`${base}/json`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
        body: '[{"op":"replace"}]',
        redirect: 'error',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe('"v1"');
      expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
      expect(await response.text()).toBe('{"id":"r-1"}');
      expect(seen[0]).toMatchObject({
        method: 'PATCH',
        body: '[{"op":"replace"}]',
        headers: expect.objectContaining({ authorization: 'Bearer t' }),
      });
    },
  );

  it.each(clients)('%s: 204 has an empty body, 412 its error body', async (_, f) => {
    const empty = await f(`${base}/no-content`, { method: 'PATCH', body: '[]' });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
    const refused = await f(`${base}/error`);
    expect(refused.status).toBe(412);
    expect(await refused.json()).toEqual({ error: { code: 'preconditionFailed' } });
  });

  it.each(clients)(
    '%s: a redirect fails the call (the bearer token never follows it)',
    async (_, f) => {
      await expect(f(`${base}/redirect`, { redirect: 'error' })).rejects.toMatchObject({
        name: 'TypeError',
        message: 'fetch failed',
      });
      expect(seen.map((s) => s.method)).toEqual(['GET']);
    },
  );

  it.each(clients)('%s: a timeout rejects with the signal reason (TimeoutError)', async (_, f) => {
    await expect(f(`${base}/slow`, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });

  it.each(clients)(
    '%s: a refused connection is TypeError "fetch failed" with the cause',
    async (_, f) => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const failure = await f(`http://127.0.0.1:${port}/json`).catch((error: unknown) => error);
      // (By name: Node's fetch throws its own realm's TypeError, not the test sandbox's.)
      expect((failure as Error).name).toBe('TypeError');
      expect((failure as TypeError).message).toBe('fetch failed');
      expect((failure as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    },
  );

  it('a body it does not handle (form data) goes to the global fetch unchanged', async () => {
    const response = await createHttpFetch()(`${base}/json`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password' }),
    });
    expect(response.status).toBe(200);
    expect(seen[0]).toMatchObject({
      body: 'grant_type=password',
      headers: expect.objectContaining({
        'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      }),
    });
  });
});
