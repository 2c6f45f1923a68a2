/**
 * The bridge on the oldest Node.js it supports (bridge/bin/node-floor.js, Node 22 LTS; issue 17:
 * "runs on Node 22 or 24"), end to end against both emulators: the compiled `cosell run` on that
 * runtime syncs a deal out and a Microsoft referral in. Everything else in the suite runs on the
 * Node that runs jest (24), so this is what catches an API only the newer line has (node:sqlite,
 * process.execve, undici). The runtime comes from the npm registry (node-runtime.ts), cached.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import {
  SYNC_DEADLINE,
  findOpportunities,
  referralsFor,
  waitForOpportunity,
} from '../e2e/e2e-helpers';
import {
  CAN_FETCH_NODE,
  COSELL_BIN,
  nodeRuntime,
  startStack,
  waitForValue,
  type Stack,
} from '../support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MINIMUM_NODE } = require('../../bridge/bin/node-floor.js') as { MINIMUM_NODE: string };

jest.setTimeout(180_000);

// Elsewhere than linux-x64 (a developer's Mac) there is no such runtime to fetch; CI is linux-x64.
const describeWhereFetched = CAN_FETCH_NODE ? describe : describe.skip;

describeWhereFetched(`the bridge on Node ${MINIMUM_NODE}, the oldest it supports`, () => {
  let node: string;
  let stack: Stack;

  beforeAll(async () => {
    node = await nodeRuntime(MINIMUM_NODE);
    stack = await startStack({ builtBridge: true, bridgeNode: node });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('is that version, and `cosell --help` runs on it with nothing on stderr', () => {
    expect(spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(
      `v${MINIMUM_NODE}`,
    );
    const help = spawnSync(node, [COSELL_BIN, '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: cosell');
    expect(help.stderr).toBe('');
  });

  it('R1: a co-sell deal reaches Partner Center and is written back as Synced', async () => {
    const deal = await stack.seed.coSellDeal();
    const synced = await waitForOpportunity(
      stack.seller,
      deal.opportunityId,
      (o) => o.Partner_Center_Sync_Status__c === 'Synced' && !!o.Partner_Center_Referral_Id__c,
      'the deal to sync on the oldest Node',
    );
    const referrals = await referralsFor(stack.partnerCenter.control, deal.opportunityId);
    expect(referrals.map((r) => r.id)).toEqual([synced.Partner_Center_Referral_Id__c]);
  });

  it('R18: a referral Microsoft sends arrives as an opportunity', async () => {
    const { solutionId } = await stack.seed.solution();
    const incoming = await stack.partnerCenter.control.microsoftCreate(
      stack.seed.microsoftReferralBody({}, solutionId),
    );
    const [opportunity] = await waitForValue(
      () =>
        findOpportunities(stack.seller, `Partner_Center_Referral_Id__c = '${String(incoming.id)}'`),
      (list) => list.length === 1,
      { ...SYNC_DEADLINE, description: 'the Microsoft referral to reach Salesforce' },
    );
    expect(opportunity?.Partner_Center_Referral_Id__c).toBe(incoming.id);
  });

  it('`cosell run` runs on that runtime (after its heap-flag execve, same pid) and prints no warning', () => {
    // Node 22 calls node:sqlite experimental and warned at every start; cosell.js drops that one.
    const bridge = stack.bridge.process;
    expect(bridge.running).toBe(true);
    expect(realpathSync(`/proc/${bridge.pid}/exe`)).toBe(realpathSync(node));
    const commandLine = readFileSync(`/proc/${bridge.pid}/cmdline`, 'utf8').split('\0');
    expect(commandLine).toContain('--max-semi-space-size=8');
    const warnings = bridge.lines.filter((l) => l.stream === 'stderr' && /Warning/.test(l.text));
    expect(warnings).toEqual([]);
  });
});
