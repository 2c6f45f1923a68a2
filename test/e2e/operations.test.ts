/**
 * Operating the bridge, end to end: `cosell setup` and `doctor` against the emulators (R6/R8,
 * R7), the environment guard (R5), access denied on either side naming what to grant (R2/R15),
 * and a multi-currency org (R3). The CLI runs as its own process with the bridge's environment.
 */
import { startStack, waitForValue, type Json, type Stack } from '../support';
import {
  E2E_TIMEOUT_MS,
  SYNC_DEADLINE,
  referralsFor,
  waitForOpportunity,
  type SyncedOpportunity,
} from './e2e-helpers';

jest.setTimeout(E2E_TIMEOUT_MS * 2);

interface CheckJson {
  id: string;
  title: string;
  requirement?: string;
  state: 'ok' | 'failed' | 'skipped' | 'info';
  detail: string;
  fix?: string;
}

const isSynced = (o: SyncedOpportunity) =>
  o.Partner_Center_Sync_Status__c === 'Synced' && !!o.Partner_Center_Referral_Id__c;

describe('e2e: setup, doctor, environment and access', () => {
  let stack: Stack;

  beforeAll(async () => {
    // setup is part of the test below; the bridge starts without it and receives nothing yet.
    stack = await startStack({ setup: false });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('R6: setup checks everything in order and registers the webhook, proven by a test event (R8); a re-run changes nothing', async () => {
    const first = await stack.bridge.cliJson<{
      ok: boolean;
      webhookUrl: string;
      steps: CheckJson[];
    }>(['setup']);
    expect(first.ok).toBe(true);
    expect(first.webhookUrl).toBe(`${stack.bridge.url}/webhooks/partner-center`);
    // Dependency order: credentials → Salesforce schema and permissions → CDC → Partner Center
    // access → webhook registration → its proof.
    const order = [
      'salesforce-sign-in',
      'partner-center-sign-in',
      'salesforce-permissions',
      'cdc',
      'referrals-access',
      'webhook-register',
      'webhook-verify',
    ].map((id) => first.steps.findIndex((s) => s.id === id));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(first.steps.every((s) => s.state === 'ok' || s.state === 'info')).toBe(true);

    const second = await stack.bridge.cliJson<{ ok: boolean; steps: CheckJson[] }>(['setup']);
    expect(second.ok).toBe(true);
    // The test events of both runs reached the running bridge and were answered 2xx.
    const tests = (await stack.partnerCenter.control.deliveries()).filter(
      (d) => d.eventName === 'test-created',
    );
    expect(tests.length).toBeGreaterThanOrEqual(2);
    expect(tests.every((d) => d.url === first.webhookUrl && d.state === 'succeeded')).toBe(true);

    // All four referral events are registered: a Microsoft-created referral now reaches Salesforce.
    const { solutionId } = await stack.seed.solution();
    const referral = await stack.partnerCenter.control.microsoftCreate(
      stack.seed.microsoftReferralBody({}, solutionId),
    );
    const delivered = await waitForValue(
      () => stack.partnerCenter.control.deliveries(),
      (list) =>
        list.some(
          (d) =>
            d.eventName === 'referral-created' &&
            d.body.includes(String(referral.id)) &&
            d.state === 'succeeded',
        ),
      {
        ...SYNC_DEADLINE,
        description: 'the referral-created delivery to be answered by the bridge',
      },
    );
    expect(delivered.length).toBeGreaterThan(0);
  });

  it('R7: doctor passes every check on a healthy setup and names the fix for wrong credentials', async () => {
    const healthy = await stack.bridge.cli(['doctor', '--json']);
    const report = healthy.json as { ok: boolean; environment: string; checks: CheckJson[] };
    expect(report.environment).toBe('emulator');
    expect(report.checks.filter((c) => c.state === 'failed')).toEqual([]);
    expect(healthy.code).toBe(0);

    const wrong = await stack.bridge.cli(['doctor', '--json'], {
      env: { PARTNER_CENTER_PASSWORD: 'not-the-password' },
    });
    expect(wrong.code).toBe(1);
    const checks = (wrong.json as { checks: CheckJson[] }).checks;
    const signIn = checks.find((c) => c.id === 'partner-center-sign-in');
    expect(signIn?.state).toBe('failed');
    expect(signIn?.fix).toMatch(/PARTNER_CENTER_PASSWORD/);
    expect(JSON.stringify(wrong.json)).not.toContain('not-the-password');
  });

  it('R5: a production configuration pointed at loopback emulators refuses to start, naming the variable', async () => {
    const result = await stack.bridge.cli(['status'], {
      env: { BRIDGE_ENVIRONMENT: 'production' },
    });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('SALESFORCE_LOGIN_URL');
    expect(lines[0]).toMatch(/production/);
    // And the environment rides on every log line of the running bridge.
    const logs = stack.bridge.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((l) => l.environment !== 'emulator')).toEqual([]);
  });

  it('R2: without the Referrals admin role the opportunity shows an error that names the role, and recovers', async () => {
    const deal = await stack.seed.coSellDeal();
    await waitForOpportunity(stack.seller, deal.opportunityId, isSynced, 'the deal to sync');
    await stack.partnerCenter.control.setReferralsAdminRole(false);
    try {
      await stack.salesforce.control.updateRecord(deal.opportunityId, { Amount: 145_000 });
      const denied = await waitForOpportunity(
        stack.seller,
        deal.opportunityId,
        (o) => o.Partner_Center_Sync_Status__c === 'Error',
        'the denied update to show Error',
      );
      expect(denied.Partner_Center_Sync_Message__c).toMatch(/Referrals admin/);
      expect(denied.Partner_Center_Sync_Message__c).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      await stack.partnerCenter.control.setReferralsAdminRole(true);
    }
    await stack.bridge.cliJson(['failures', 'retry', deal.opportunityId]);
    await waitForValue(
      async () =>
        ((await referralsFor(stack.partnerCenter.control, deal.opportunityId))[0]?.details as Json)
          ?.dealValue,
      (v) => v === 145_000,
      { ...SYNC_DEADLINE, description: 'the change to go through once the role is back' },
    );
  });

  it('R15: a Salesforce integration user without the permission set is told which permission set to assign', async () => {
    await stack.salesforce.control.setPermissionSet('Co_Sell_Bridge_Integration', false);
    try {
      const result = await stack.bridge.cli(['doctor', '--json']);
      expect(result.code).toBe(1);
      const checks = (result.json as { checks: CheckJson[] }).checks;
      const permissions = checks.find((c) => c.id === 'salesforce-permissions');
      expect(permissions?.state).toBe('failed');
      expect(`${permissions?.detail} ${permissions?.fix}`).toContain('Co_Sell_Bridge_Integration');
    } finally {
      await stack.salesforce.control.setPermissionSet('Co_Sell_Bridge_Integration', true);
    }
  });

  it('R3: in a multi-currency org the deal value is sent in the referral currency of the opportunity', async () => {
    await stack.salesforce.control.settings({ multiCurrency: true });
    // Org facts (currency mode) are read at start: a restart is how an admin's switch is picked up.
    await stack.bridge.restart();
    const deal = await stack.seed.coSellDeal({
      currency: 'EUR',
      amount: 64_000,
      fields: { CurrencyIsoCode: 'EUR' },
    });
    await waitForOpportunity(stack.seller, deal.opportunityId, isSynced, 'the EUR deal to sync');
    const [referral] = await referralsFor(stack.partnerCenter.control, deal.opportunityId);
    expect(referral?.details).toMatchObject({ currency: 'EUR', dealValue: 64_000 });
  });

  it('status tells from the heartbeat in the store whether a separate `cosell run` process runs', async () => {
    type StatusJson = {
      running: boolean;
      process: { running: boolean; pid: number | null; lastHeartbeat: string | null };
    };
    const running = await stack.bridge.cliJson<StatusJson>(['status']);
    expect(running.running).toBe(true);
    expect(running.process).toMatchObject({ running: true, pid: stack.bridge.process.pid });
    const human = await stack.bridge.cli(['status']);
    expect(human.stdout).toMatch(
      new RegExp(
        `^bridge: running \\(pid ${stack.bridge.process.pid} on .+, last heartbeat \\S+Z, \\d+s ago\\)$`,
        'm',
      ),
    );

    // kill -9 leaves the row behind; status sees the process is gone.
    const killedPid = stack.bridge.process.pid;
    await stack.bridge.kill();
    const killed = await stack.bridge.cli(['status']);
    expect(killed.stdout).toContain(`bridge: not running (pid ${killedPid} on `);
    expect(killed.stdout).toMatch(/has exited without stopping \(killed or crashed\)\)$/m);

    // A graceful stop removes its row.
    await stack.bridge.start();
    expect((await stack.bridge.cliJson<StatusJson>(['status'])).process.pid).toBe(
      stack.bridge.process.pid,
    );
    await stack.bridge.stop();
    const stopped = await stack.bridge.cliJson<StatusJson>(['status']);
    expect(stopped.running).toBe(false);
    // The killed run's row is still there (it never cleared it), the stopped run's is gone.
    expect(stopped.process.pid).toBe(killedPid);
    await stack.bridge.start();
  });
});
