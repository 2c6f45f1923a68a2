/**
 * A Salesforce outage is visible while it lasts: Salesforce frozen (requests accepted, never
 * answered) or dropping connections. Within seconds the bridge warns once, `/readyz` fails with
 * the cause, `cosell status` says sync is degraded, and `cosell_dependency_up` drops to 0; when
 * Salesforce answers again all of it clears by itself.
 */
import { startStack, waitFor, type Stack } from '../support';
import { E2E_TIMEOUT_MS } from './e2e-helpers';

jest.setTimeout(E2E_TIMEOUT_MS * 3);

interface Readyz {
  status: string;
  checks: { name: string; ok: boolean; detail?: string }[];
}

describe('e2e: a Salesforce outage is visible', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ setup: false });
  });
  afterAll(async () => {
    await stack?.salesforce.control.clearFaults().catch(() => undefined);
    await stack?.dispose();
  });

  const readyz = async (): Promise<{ code: number; body: Readyz }> => {
    const res = await fetch(`${stack.bridge.url}/readyz`);
    return { code: res.status, body: (await res.json()) as Readyz };
  };
  const downEvents = (dependency: string) =>
    stack.bridge.logs((l) => l.event === 'dependency.down' && l.dependency === dependency);

  it('frozen Salesforce: a warning within seconds, /readyz 503 with the cause, status degraded, metric 0; then it clears', async () => {
    expect((await readyz()).code).toBe(200);
    const frozenAt = Date.now();
    // Accepts every request and answers none for ten minutes.
    await stack.salesforce.control.addFault({ match: { path: '/services' }, latencyMs: 600_000 });
    await stack.salesforce.control.addFault({ match: { path: '/cometd' }, latencyMs: 600_000 });

    await waitFor(() => downEvents('salesforce-api').length > 0, {
      timeoutMs: 45_000,
      description: 'the bridge to warn that the Salesforce API does not answer',
    });
    // The bound: one probe interval (15 s) plus its timeout (5 s), with room for a loaded machine.
    expect(Date.now() - frozenAt).toBeLessThan(40_000);
    expect(downEvents('salesforce-api')).toHaveLength(1);

    const notReady = await readyz();
    expect(notReady.code).toBe(503);
    expect(notReady.body.checks).toContainEqual({
      name: 'salesforce-api',
      ok: false,
      detail: expect.stringMatching(
        /^Salesforce API unreachable since \S+Z: no answer before the timeout$/,
      ),
    });
    expect(
      (await stack.bridge.metrics()).get('cosell_dependency_up{dependency="salesforce-api"}'),
    ).toBe(0);
    const status = await stack.bridge.cli(['status']);
    expect(status.stdout).toMatch(
      /^sync: DEGRADED — Salesforce API unreachable since \S+Z: no answer before the timeout/m,
    );
    expect(status.stdout).not.toMatch(/^sync: active$/m);

    // Salesforce answers again: ready, metric 1, one "recovered" line.
    await stack.salesforce.control.clearFaults();
    await waitFor(async () => (await readyz()).code === 200, {
      timeoutMs: 45_000,
      description: '/readyz to answer 200 again',
    });
    expect(
      stack.bridge.logs(
        (l) => l.event === 'dependency.recovered' && l.dependency === 'salesforce-api',
      ),
    ).toHaveLength(1);
    expect(
      (await stack.bridge.metrics()).get('cosell_dependency_up{dependency="salesforce-api"}'),
    ).toBe(1);
    expect((await stack.bridge.cli(['status'])).stdout).toMatch(/^sync: active$/m);
  });

  it('dropped streaming connections: the change stream is reported down within seconds, then up again', async () => {
    const before = downEvents('salesforce-stream').length;
    const droppedAt = Date.now();
    await stack.salesforce.control.addFault({ match: { path: '/cometd' }, dropConnection: true });
    await stack.salesforce.control.dropCometdClients();
    await waitFor(() => downEvents('salesforce-stream').length > before, {
      timeoutMs: 30_000,
      description: 'the bridge to warn that the change stream is down',
    });
    expect(Date.now() - droppedAt).toBeLessThan(20_000);
    const notReady = await readyz();
    expect(notReady.code).toBe(503);
    expect(notReady.body.checks).toContainEqual(
      expect.objectContaining({ name: 'salesforce-stream', ok: false }),
    );

    await stack.salesforce.control.clearFaults();
    await waitFor(async () => (await readyz()).code === 200, {
      timeoutMs: 45_000,
      description: '/readyz to answer 200 once the stream is back',
    });
  });
});
