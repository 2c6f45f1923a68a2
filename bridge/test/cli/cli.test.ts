/**
 * The real `cosell` binary (node bridge/bin/cosell.js, a child process) against both emulators
 * running as their own processes. Every output of every run is kept and grepped for the
 * configured secrets at the end.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  INTEGRATION_USERNAME,
  startStack,
  type CliResult,
  type Stack,
} from '../../../test/support';

const SECRETS = ['emulator-secret', 'emulator-password'];

interface CheckJson {
  id: string;
  state: 'ok' | 'failed' | 'skipped' | 'info';
  detail: string;
  fix?: string;
  requirement?: string;
}

describe('cosell CLI against the emulators', () => {
  let stack: Stack;
  const outputs: string[] = [];

  async function cosell(
    args: string[],
    env?: Record<string, string | undefined>,
  ): Promise<CliResult> {
    const result = await stack.bridge.cli(args, { env });
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  const check = (result: CliResult, id: string): CheckJson | undefined =>
    (
      (result.json as { checks?: CheckJson[]; steps?: CheckJson[] }).checks ??
      (result.json as { steps?: CheckJson[] }).steps ??
      []
    ).find((c) => c.id === id);

  beforeAll(async () => {
    stack = await startStack({ setup: false, startBridge: false });
  }, 60_000);

  afterAll(async () => {
    await stack?.dispose();
  });

  it('prints help for every command with exit 0, and exit 2 with one line for bad usage', async () => {
    const help = await cosell(['--help']);
    expect(help.code).toBe(0);
    for (const command of [
      'run',
      'setup',
      'doctor',
      'status',
      'explain',
      'failures',
      'resync',
      'webhook',
      'solutions',
    ]) {
      expect(help.stdout).toContain(command);
    }
    const resyncHelp = await cosell(['resync', '--help']);
    expect(resyncHelp.code).toBe(0);
    expect(resyncHelp.stdout).toMatch(/--since <iso>/);
    expect((await cosell(['failures', 'retry', '--help'])).stdout).toMatch(/--all/);

    const unknown = await cosell(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(unknown.stderr).toContain('(run `cosell --help` for usage)');
    // A subcommand's mistake points at that subcommand's help, where its arguments are.
    const noId = await cosell(['explain']);
    expect(noId.code).toBe(2);
    expect(noId.stderr.trim().split('\n')).toEqual([
      "error: missing required argument 'id'",
      '(run `cosell explain --help` for usage)',
    ]);
    expect((await cosell(['failures', 'retry', '--bogus'])).stderr).toContain(
      '(run `cosell failures retry --help` for usage)',
    );
    // A number of milliseconds, not the string "90000".
    expect((await cosell(['setup', '--help'])).stdout).toMatch(/\(default:\s+90000\)/);

    const noSelection = await cosell(['resync']);
    expect(noSelection.code).toBe(2);
    expect(noSelection.stderr.trim().split('\n')).toEqual([
      'error: say what to resync, exactly one of: <opportunityId>, --all, --since <ISO date-time>',
    ]);
    expect((await cosell(['failures', 'retry'])).code).toBe(2);

    // A command group without its subcommand is bad usage too: its help, on stderr, exit 2.
    for (const [group, sub] of [
      ['failures', 'list'],
      ['webhook', 'register'],
      ['solutions', 'import'],
    ]) {
      const bare = await cosell([group!]);
      expect(bare.code).toBe(2);
      expect(bare.stdout).toBe('');
      expect(bare.stderr).toContain(`Usage: cosell ${group} [options] [command]`);
      expect(bare.stderr).toContain(sub);
    }
    expect((await cosell(['help', 'failures'])).code).toBe(0);

    // --json promises one JSON document on stdout: commander's refusals give one too.
    const unknownJson = await cosell(['frobnicate', '--json']);
    expect(unknownJson.code).toBe(2);
    expect(unknownJson.json).toEqual({ ok: false, error: "unknown command 'frobnicate'" });
    const missingJson = await cosell(['explain', '--json']);
    expect(missingJson.code).toBe(2);
    expect(missingJson.json).toEqual({ ok: false, error: "missing required argument 'id'" });
    const bareJson = await cosell(['failures', '--json']);
    expect(bareJson.code).toBe(2);
    expect(bareJson.json).toMatchObject({ ok: false, error: expect.stringMatching(/subcommand/) });
  }, 60_000);

  it('R5: bad or crossed configuration stops with ONE line naming the variable, exit 2, no stack trace', async () => {
    const missing = await cosell(['status'], { BRIDGE_ENVIRONMENT: undefined });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(
      'error: BRIDGE_ENVIRONMENT is not set: expected one of production, sandbox, emulator',
    );
    expect(missing.stdout).toBe('');

    // An emulator configuration pointing at a real org is refused before anything is sent.
    const crossed = await cosell(['doctor'], {
      SALESFORCE_LOGIN_URL: 'https://login.salesforce.com',
    });
    expect(crossed.code).toBe(2);
    expect(crossed.stderr.trim().split('\n')).toHaveLength(1);
    expect(crossed.stderr).toMatch(/^error: SALESFORCE_LOGIN_URL must be a loopback URL/);

    // A production label on a sandbox login URL is the accident R5 forbids.
    const production = await cosell(['status', '--json'], {
      BRIDGE_ENVIRONMENT: 'production',
      SALESFORCE_LOGIN_URL: 'https://test.salesforce.com',
    });
    expect(production.code).toBe(2);
    expect(production.json).toMatchObject({ ok: false, variable: 'SALESFORCE_LOGIN_URL' });
    expect(production.stderr).not.toMatch(/\n\s+at /);

    // A Postgres store that does not answer is an outage to fix, not "unexpected error": one
    // line naming the variable and the cause, exit 1.
    const postgresDown = await cosell(['status'], {
      BRIDGE_DATABASE_URL: 'postgres://cosell:pg-secret-1@127.0.0.1:1/cosell',
    });
    expect(postgresDown.code).toBe(1);
    expect(postgresDown.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^error: Failed to open the Postgres state store at BRIDGE_DATABASE_URL \(the state store \(Postgres\) is unavailable or busy: .*ECONNREFUSED 127\.0\.0\.1:1\)$/,
      ),
    ]);
    expect(postgresDown.stderr).not.toContain('pg-secret-1');
  }, 60_000);

  it('R14: doctor fails the store check when the first run could not create the store there', async () => {
    // Found in the operator walkthrough: doctor said "the first `cosell run` creates it" for a
    // path the run then refused (here: a path through a file, as a typo or a missing chown would).
    const file = join(stack.bridge.dir, 'not-a-folder');
    writeFileSync(file, '');
    const result = await cosell(['doctor', '--json'], {
      BRIDGE_DATABASE_URL: `sqlite:${file}/data/cosell.sqlite`,
    });
    expect(result.code).toBe(1);
    expect(check(result, 'store')).toMatchObject({
      state: 'failed',
      requirement: 'R14',
      detail: `no store at ${file}/data/cosell.sqlite yet, and the first \`cosell run\` cannot create it: ${file} is a file, not a folder`,
      fix: expect.stringContaining('BRIDGE_DATABASE_URL'),
    });
    // A folder that can be made is still fine before the first run.
    const fresh = await cosell(['doctor', '--json'], {
      BRIDGE_DATABASE_URL: `sqlite:${join(stack.bridge.dir, 'new-folder/cosell.sqlite')}`,
    });
    expect(check(fresh, 'store')).toMatchObject({ state: 'ok' });
  }, 60_000);

  it('R7: wrong credentials on either side fail doctor with the exact fix, not a stack trace', async () => {
    const result = await cosell(['doctor', '--json'], {
      PARTNER_CENTER_PASSWORD: 'not-the-password-42',
      SALESFORCE_CLIENT_SECRET: 'not-the-secret-42',
    });
    expect(result.code).toBe(1);
    const salesforce = check(result, 'salesforce-sign-in');
    expect(salesforce).toMatchObject({ state: 'failed', requirement: 'R7' });
    expect(salesforce?.fix).toMatch(/SALESFORCE_CLIENT_SECRET|secret/i);
    const partnerCenter = check(result, 'partner-center-sign-in');
    expect(partnerCenter).toMatchObject({ state: 'failed', requirement: 'R7' });
    expect(partnerCenter?.fix).toContain('PARTNER_CENTER_PASSWORD');
    // Checks that need a sign-in are skipped, not failed a second time.
    expect(check(result, 'referrals-access')?.state).toBe('skipped');
    expect(result.stdout + result.stderr).not.toMatch(/not-the-(password|secret)-42/);
    expect(result.stderr).not.toMatch(/\n\s+at /);

    // At start-up too: `run` refuses to start with one line and the fix, exit 1.
    const run = await cosell(['run'], { SALESFORCE_CLIENT_SECRET: 'not-the-secret-42' });
    expect(run.code).toBe(1);
    const errorLines = run.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/Salesforce sign-in failed .*fix: /);
  }, 60_000);

  it('R6/R8: setup runs every step in order, and re-running it overwrites the webhook registration instead of adding one', async () => {
    const first = await cosell(['setup', '--json']);
    expect(first.code).toBe(0);
    const steps = (first.json as { steps: CheckJson[] }).steps;
    expect(steps.map((s) => s.id)).toEqual([
      'salesforce-sign-in',
      'partner-center-sign-in',
      'salesforce-permissions',
      'country-field',
      'currency-field',
      'cdc',
      'referrals-access',
      'webhook-register',
      'webhook-verify',
    ]);
    expect(steps.every((s) => s.state === 'ok')).toBe(true);
    expect(check(first, 'webhook-register')?.detail).toContain('new registration');
    expect(check(first, 'webhook-verify')?.detail).toMatch(/delivered a test event .* and got OK/);
    // Progress goes to stderr, so stdout stays one JSON document.
    expect(first.stderr).toContain('setup: Salesforce sign-in…');

    const second = await cosell(['setup']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('the existing registration was overwritten');
    expect(second.stdout).toContain('All checks passed.');
    const stats = await stack.partnerCenter.control.stats();
    expect(stats.requests['POST /webhooks/v1/registration']).toBe(2);
    expect(stats.requests['PUT /webhooks/v1/registration']).toBe(1);
    const tests = (await stack.partnerCenter.control.deliveries()).filter(
      (d) => d.eventName === 'test-created',
    );
    expect(tests.map((d) => d.state)).toEqual(['succeeded', 'succeeded']);
  }, 120_000);

  it('R2: doctor names the missing permission set and the missing Referrals admin role, with the fix', async () => {
    const healthy = await cosell(['doctor', '--json']);
    expect(healthy.code).toBe(0);
    expect(check(healthy, 'environment')).toMatchObject({ state: 'ok', requirement: 'R5' });
    expect(check(healthy, 'environment')?.detail).toContain('BRIDGE_ENVIRONMENT=emulator');
    expect(check(healthy, 'webhook')).toMatchObject({ state: 'ok', requirement: 'R8' });
    expect(check(healthy, 'country-field')).toMatchObject({ state: 'ok', requirement: 'R16' });

    await stack.salesforce.control.setPermissionSet('Co_Sell_Bridge_Integration', false);
    await stack.partnerCenter.control.setReferralsAdminRole(false);
    try {
      const broken = await cosell(['doctor']);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/✗ Salesforce schema and permission set \[R2\]/);
      expect(broken.stdout).toMatch(/fix: .*assign the Co_Sell_Bridge_Integration permission set/);
      // Unseen, the package's custom metadata type is the permission set's business too, on one
      // line: Salesforce's query echo ("^", "ERROR at Row:1:Column:1") used to span five lines.
      expect(broken.stdout).toMatch(
        /^✗ Field mapping \(Co_Sell_Field_Map__mdt\) \[R2\]: Salesforce denied read the field mapping \(Co_Sell_Field_Map__mdt\): assign the Co_Sell_Bridge_Integration permission set/m,
      );
      expect(broken.stdout).not.toMatch(/^\^$|ERROR at Row/m);
      expect(broken.stdout).toMatch(
        /✗ Partner Center role \(Referrals admin\) \[R2\]: .*Referrals admin/,
      );
      expect(broken.stdout).toMatch(/\d+ check\(s\) failed\./);
    } finally {
      await stack.salesforce.control.setPermissionSet('Co_Sell_Bridge_Integration', true);
      await stack.partnerCenter.control.setReferralsAdminRole(true);
    }

    // R16: a country field that the org does not have is named, with what to do.
    const country = await cosell(['doctor', '--json'], {
      BRIDGE_COUNTRY_FIELD: 'Account.Country_Code__c',
    });
    expect(country.code).toBe(1);
    expect(check(country, 'country-field')).toMatchObject({ state: 'failed', requirement: 'R16' });
    expect(check(country, 'country-field')?.detail).toContain(
      'BRIDGE_COUNTRY_FIELD=Account.Country_Code__c',
    );
    expect(check(country, 'country-field')?.fix).toMatch(
      /two-letter ISO code.*BRIDGE_COUNTRY_FIELD/,
    );
  }, 90_000);

  it('R17: solutions import upserts by Solution_Id__c and reports bad rows with their line numbers', async () => {
    const file = join(stack.bridge.dir, 'solutions.csv');
    writeFileSync(
      file,
      'Solution ID,Solution Name\nSOL-CLI-1,Fabrikam Analytics\n,No id\nSOL-CLI-2,"Fabrikam, Copilot"\n',
    );
    const first = await cosell(['solutions', 'import', file, '--json']);
    expect(first.code).toBe(1);
    expect(first.json).toMatchObject({
      created: [
        { line: 2, solutionId: 'SOL-CLI-1' },
        { line: 4, solutionId: 'SOL-CLI-2' },
      ],
      updated: [],
      invalid: [{ line: 3, reason: 'the solution id is empty' }],
    });
    writeFileSync(file, 'id,name\nSOL-CLI-1,Fabrikam Analytics Pro\n');
    const again = await cosell(['solutions', 'import', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 created, 1 updated, 0 not imported');
    const [record] = (
      await stack.seller.query<{ Name: string }>(
        "SELECT Name FROM Microsoft_Solution__c WHERE Solution_Id__c = 'SOL-CLI-1'",
      )
    ).records;
    expect(record?.Name).toBe('Fabrikam Analytics Pro');

    const missing = await cosell(['solutions', 'import', 'no-such.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(
      `error: cannot read ${join(stack.bridge.dir, 'no-such.csv')} (ENOENT): give the path of the solutions CSV exported from Partner Center, readable by the user running cosell (a relative path starts in the working directory)`,
    );
  }, 60_000);

  it('R13/R14/R18: resync --all shows progress; failures list/retry; explain tells the story; status --json', async () => {
    const valid = await stack.seed.coSellDeal({ name: 'CLI valid deal' });
    const accountId = await stack.seed.account({ country: 'Sweden' });
    const solution = await stack.seed.solution();
    const invalid = await stack.seed.opportunity({
      accountId,
      name: 'CLI invalid deal',
      solutionRecordIds: [solution.recordId],
      as: INTEGRATION_USERNAME,
      fields: { Partner_Center_Sync_Status__c: 'Error', Sync_with_Partner_Center__c: true },
    });

    const resync = await cosell(['resync', '--all', '--json']);
    expect(resync.stderr).toMatch(/resync: queued \d+ opportunit/);
    expect(resync.stderr).toMatch(/resync: \d+\/\d+ processed \(\d+ synced/);
    expect(resync.json).toMatchObject({ selection: { all: true }, waited: true });
    const totals = resync.json as { queued: number; synced: number; invalid: number };
    expect(totals.queued).toBeGreaterThanOrEqual(2);
    expect(totals.synced).toBeGreaterThanOrEqual(1);
    expect(totals.invalid).toBeGreaterThanOrEqual(1);

    const synced = await stack.seller.sobject('Opportunity').retrieve(valid.opportunityId);
    expect(synced).toMatchObject({ Partner_Center_Sync_Status__c: 'Synced' });

    const explained = await cosell(['explain', valid.opportunityId]);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(
      new RegExp(`Opportunity ${valid.opportunityId} ↔ referral [0-9a-f-]{36}`),
    );
    expect(explained.stdout).toMatch(/Outbound Success referral [0-9a-f-]{36} \(1 call\)/);
    // Next to the local timeline: what the seller sees on the opportunity now, read via jsforce.
    expect(explained.stdout).toMatch(
      /^ {2}Salesforce now: "CLI valid deal", Sync with Partner Center on; sync status Synced; last synced \d{4}-\d\d-\d\dT/m,
    );
    // The same story from the referral's side.
    const byReferral = await cosell([
      'explain',
      String(synced.Partner_Center_Referral_Id__c),
      '--json',
    ]);
    expect(byReferral.code).toBe(0);
    expect(byReferral.json).toMatchObject({
      known: true,
      link: { opportunityId: valid.opportunityId },
    });
    // A 15-character id (as in the opportunity's URL) is the same opportunity, not "nothing known".
    const short = valid.opportunityId.slice(0, 15);
    const explainedShort = await cosell(['explain', short, '--json']);
    expect(explainedShort.code).toBe(0);
    expect(explainedShort.json).toMatchObject({
      known: true,
      link: { opportunityId: valid.opportunityId },
    });
    const resyncShort = await cosell(['resync', short, '--json']);
    expect(resyncShort.code).toBe(0);
    expect(resyncShort.json).toMatchObject({ selection: { opportunityId: valid.opportunityId } });
    // Nonsense is not an id: no suggestion to run a resync that resync would reject.
    const nonsense = await cosell(['explain', 'no-such-thing!']);
    expect(nonsense.code).toBe(1);
    expect(nonsense.stdout).toContain('not a Salesforce record id');
    expect(nonsense.stdout).not.toContain('cosell resync');

    const unknown = await cosell(['explain', '0065g00000NOPENOPE']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('Nothing is recorded about 0065g00000NOPENOPE');

    // An account id pasted by mistake: explain says it is not an opportunity's and sends the
    // operator to no resync; resync refuses it as bad usage instead of "Resynced 1" with all 0.
    const accountExplained = await cosell(['explain', accountId]);
    expect(accountExplained.code).toBe(1);
    expect(accountExplained.stdout).toContain(
      'not an opportunity id (opportunity ids begin with 006)',
    );
    expect(accountExplained.stdout).not.toContain('cosell resync');
    const accountResync = await cosell(['resync', accountId]);
    expect(accountResync.code).toBe(2);
    expect(accountResync.stderr.trim()).toBe(
      `error: ${accountId} is not an opportunity id (opportunity ids begin with 006): copy the id from the opportunity's URL`,
    );
    // An opportunity with sync off is not sent: the summary says so instead of all zeros.
    const syncOff = await stack.seed.opportunity({
      accountId,
      name: 'CLI sync off deal',
      solutionRecordIds: [solution.recordId],
    });
    const offResync = await cosell(['resync', syncOff]);
    expect(offResync.code).toBe(0);
    expect(offResync.stdout).toContain(
      'Resynced 1: 0 synced, 0 unchanged, 1 skipped (not found, or Sync with Partner Center off), 0 invalid',
    );

    const explainInvalid = await cosell(['explain', invalid, '--json']);
    const journal = (
      explainInvalid.json as { journal: { outcome: string; message: string; apiCalls: number }[] }
    ).journal;
    expect(journal.at(-1)).toMatchObject({ outcome: 'Error', apiCalls: 0 });
    expect(journal.at(-1)?.message).toMatch(/Billing Country/);
    expect(
      (explainInvalid.json as { salesforce: { state: Record<string, unknown>; error: null } })
        .salesforce,
    ).toMatchObject({
      state: {
        opportunityId: invalid,
        syncEnabled: true,
        syncStatus: 'Error',
        syncMessage: expect.stringMatching(/Billing Country/),
      },
      error: null,
    });

    const list = await cosell(['failures', 'list', '--json']);
    expect(list.code).toBe(0);
    const failures = (list.json as { failures: { id: number; key: string; permanent: boolean }[] })
      .failures;
    const retry = await cosell(['failures', 'retry', '--all']);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toMatch(
      failures.length > 0 ? /Rescheduled \d+ failure/ : /No failures to retry/,
    );
    const none = await cosell(['failures', 'retry', '#999999']);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('No failure matches #999999');

    const status = await cosell(['status', '--json']);
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({
      environment: 'emulator',
      // No `cosell run` in this test: status says so instead of guessing.
      running: false,
      process: { running: false, pid: null, lastHeartbeat: null },
      bridge: { running: false },
      paused: null,
      budget: { budget: 10_000 },
      queues: { outboundPending: expect.any(Number), inboxPending: expect.any(Number) },
      failures: { total: expect.any(Number) },
    });
    const human = await cosell(['status']);
    expect(human.stdout).toMatch(/^environment: emulator$/m);
    expect(human.stdout).toMatch(
      /^bridge: not running \(no bridge has recorded a heartbeat in this store\)$/m,
    );
    expect(human.stdout).toMatch(/^http: not answering at http:\/\/127\.0\.0\.1:\d+/m);
    // Not "sync: active" under "bridge: not running": nothing syncs without a bridge.
    expect(human.stdout).toMatch(
      /^sync: stopped — no `cosell run` is running; nothing is lost, it catches up when started$/m,
    );
    expect(human.stdout).toMatch(/partner center budget: \d+\/10000 calls used/);

    // R1: once the day's budget is spent, status says sync is paused and until when.
    const spent = await cosell(['status'], { PARTNER_CENTER_DAILY_CALL_BUDGET: '1' });
    expect(spent.code).toBe(0);
    expect(spent.stdout).toMatch(
      /^sync: PAUSED — Paused: daily Partner Center budget of 1 calls reached; resumes at \d{4}-\d\d-\d\dT00:00:00\.000Z$/m,
    );
    // 17 `cosell` processes one after another, each a Node start through tsx: 16-54 s at load 8-10
    // on the shared 2-core machine, 87 s at load 12, so 120 s was too near to its real duration.
  }, 300_000);

  it('never prints a configured secret, in any output of any command above', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const secret of SECRETS) {
      for (const output of outputs) expect(output).not.toContain(secret);
    }
  });
});
