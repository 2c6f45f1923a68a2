/**
 * Partner Center → Salesforce, end to end: the Partner Center emulator acts as Microsoft and
 * delivers signed webhooks to the bridge process, which fetches the referral and writes Salesforce
 * through jsforce. Duplicate and reordered deliveries come from the emulator's delivery faults.
 */
import { startStack, waitFor, waitForValue, type Json, type Stack } from '../support';
import {
  E2E_TIMEOUT_MS,
  SYNC_DEADLINE,
  findOpportunities,
  referralById,
  syncEvents,
  waitForOpportunity,
  type SyncedOpportunity,
} from './e2e-helpers';

jest.setTimeout(E2E_TIMEOUT_MS);

describe('e2e: Partner Center → Salesforce', () => {
  let stack: Stack;
  /** A co-sell-ready solution known to both sides, named by Microsoft's referrals. */
  let solutionId: string;

  beforeAll(async () => {
    stack = await startStack();
    solutionId = (await stack.seed.solution()).solutionId;
  });

  const microsoftReferral = (overrides: Json = {}) =>
    stack.partnerCenter.control.microsoftCreate(
      stack.seed.microsoftReferralBody(overrides, solutionId),
    );
  afterAll(async () => {
    await stack?.dispose();
  });

  /** The opportunities linked to `referralId` once the bridge has created one. */
  const opportunitiesFor = (referralId: string) =>
    findOpportunities(stack.seller, `Partner_Center_Referral_Id__c = '${referralId}'`);

  const waitForLinkedOpportunity = (referralId: string): Promise<SyncedOpportunity> =>
    waitForValue(
      () => opportunitiesFor(referralId),
      (list) => list.length > 0,
      { ...SYNC_DEADLINE, description: `an opportunity linked to referral ${referralId}` },
    ).then((list) => list[0]!);

  /**
   * Inbound barrier: every delivery so far was answered 2xx (so it is in the bridge's inbox,
   * which is persisted before answering) and the inbox has been worked off.
   */
  async function inboundSettled(): Promise<void> {
    await waitForValue(
      () => stack.partnerCenter.control.deliveries(),
      (list) =>
        list.every((d) => d.state === 'succeeded' || d.state === 'failed' || d.state === 'dropped'),
      { ...SYNC_DEADLINE, description: 'every webhook delivery to be answered' },
    );
    await waitForValue(
      () => stack.bridge.queueDepth('inbound'),
      (depth) => depth === 0,
      { ...SYNC_DEADLINE, description: 'the bridge inbox to be empty' },
    );
  }

  it('R18: a referral Microsoft creates becomes an opportunity (sync on) and gets its CRM ID written back', async () => {
    const body = stack.seed.microsoftReferralBody({}, solutionId);
    const referral = await stack.partnerCenter.control.microsoftCreate(body);
    const referralId = String(referral.id);
    const linked = await waitForLinkedOpportunity(referralId);
    // Sync goes on once the solutions are linked (the package's validation rules need them).
    const opportunity = await waitForOpportunity(
      stack.seller,
      linked.Id,
      (o) => o.Sync_with_Partner_Center__c,
      'sync to be switched on for the new opportunity',
    );
    expect(opportunity).toMatchObject({
      Name: body.name,
      Amount: 80_000,
      Sync_with_Partner_Center__c: true,
      Referral_Currency__c: 'USD',
      Partner_Center_Status__c: 'New',
    });
    expect(opportunity.AccountId).toBeTruthy();
    const account = await stack.seller.sobject('Account').retrieve(opportunity.AccountId!);
    expect(account).toMatchObject({
      Name: (body.customerProfile as Json).name,
      BillingCountry: 'US',
    });
    const crm = await waitForValue(
      () => referralById(stack.partnerCenter.control, referralId),
      (r) => r?.externalReferenceId === opportunity.Id,
      { ...SYNC_DEADLINE, description: 'the opportunity id to be written back as the CRM ID' },
    );
    expect(crm?.externalReferenceId).toBe(opportunity.Id);
  });

  it('R18: three copies of one delivery and a second event for the same referral create one opportunity', async () => {
    await stack.partnerCenter.control.addFault({
      webhook: { duplicate: 3 },
      event: 'referral-created',
      times: 1,
    });
    const referral = await microsoftReferral();
    const referralId = String(referral.id);
    await waitForLinkedOpportunity(referralId);
    const copies = (await stack.partnerCenter.control.deliveries()).filter((d) =>
      d.body.includes(referralId),
    );
    expect(copies.length).toBeGreaterThanOrEqual(3);
    await inboundSettled();
    expect(await opportunitiesFor(referralId)).toHaveLength(1);
  });

  it('R18: out-of-order deliveries leave Salesforce with the newest referral state', async () => {
    const referral = await microsoftReferral();
    const referralId = String(referral.id);
    const opportunity = await waitForLinkedOpportunity(referralId);
    await inboundSettled();
    // The first update's delivery is held back until the second one has been answered.
    await stack.partnerCenter.control.addFault({
      webhook: { reorder: true },
      event: 'referral-updated',
      times: 1,
    });
    await stack.partnerCenter.control.microsoftUpdate(referralId, {
      details: { dealValue: 90_000 },
    });
    await stack.partnerCenter.control.microsoftUpdate(referralId, {
      details: { dealValue: 95_000 },
    });
    await inboundSettled();
    const final = await waitForOpportunity(
      stack.seller,
      opportunity.Id,
      (o) => o.Amount === 95_000,
      'the newest deal value (95000) in Salesforce',
    );
    expect(final.Amount).toBe(95_000);
  });

  it('R12: a referral whose CRM ID is not in Salesforce is ignored, with the reason in an Ignored audit', async () => {
    const unknownCrmId = '006000000000999AAA';
    const referral = await microsoftReferral({ externalReferenceId: unknownCrmId });
    const referralId = String(referral.id);
    const [ignored] = await waitForValue(
      // No opportunity to hang it on: the admin-only audit (the seeded seller is an admin).
      () =>
        syncEvents(stack.seller, `Referral_Id__c = '${referralId}'`, 'Co_Sell_Unlinked_Event__c'),
      (list) => list.length > 0,
      { ...SYNC_DEADLINE, description: 'an audit event for the unknown CRM ID' },
    );
    expect(ignored).toMatchObject({ Direction__c: 'Inbound', Outcome__c: 'Ignored' });
    expect(ignored?.Message__c).toContain(unknownCrmId);
    await inboundSettled();
    expect(await opportunitiesFor(referralId)).toEqual([]);
    // Not an error loop: the referral keeps the CRM ID it came with and nothing is retried.
    expect((await referralById(stack.partnerCenter.control, referralId))?.externalReferenceId).toBe(
      unknownCrmId,
    );
  });

  it('R18: Won and Lost decided in Partner Center close the opportunity, not silently dropped', async () => {
    const won = await stack.seed.coSellDeal();
    const lost = await stack.seed.coSellDeal();
    const ids: Record<string, string> = {};
    for (const deal of [won, lost]) {
      const synced = await waitForOpportunity(
        stack.seller,
        deal.opportunityId,
        (o) => !!o.Partner_Center_Referral_Id__c,
        'the deal to get its referral',
      );
      ids[deal.opportunityId] = synced.Partner_Center_Referral_Id__c!;
    }
    await stack.partnerCenter.control.microsoftUpdate(ids[won.opportunityId]!, {
      status: 'Closed',
      substatus: 'Won',
    });
    await stack.partnerCenter.control.microsoftUpdate(ids[lost.opportunityId]!, {
      status: 'Closed',
      substatus: 'Lost',
    });
    const closedWon = await waitForOpportunity(
      stack.seller,
      won.opportunityId,
      (o) => o.Partner_Center_Status__c === 'Closed',
      'the won referral to reach Salesforce',
    );
    expect(closedWon).toMatchObject({
      Partner_Center_Substatus__c: 'Won',
      StageName: 'Closed Won',
    });
    const closedLost = await waitForOpportunity(
      stack.seller,
      lost.opportunityId,
      (o) => o.Partner_Center_Status__c === 'Closed',
      'the lost referral to reach Salesforce',
    );
    expect(closedLost).toMatchObject({
      Partner_Center_Substatus__c: 'Lost',
      StageName: 'Closed Lost',
    });
  });

  it('R4: a referral team member who is a Salesforce user (by email) owns the new opportunity; others are recorded', async () => {
    const users = await stack.salesforce.control.users();
    const referral = await microsoftReferral({
      team: [
        { firstName: 'Pat', lastName: 'Partner', email: 'pat.partner@elsewhere.example' },
        { firstName: 'Sam', lastName: 'Seller', email: users.seller.username.toUpperCase() },
      ],
    });
    const referralId = String(referral.id);
    const opportunity = await waitForLinkedOpportunity(referralId);
    expect(opportunity.OwnerId).toBe(users.seller.id);
    const events = await waitForValue(
      () =>
        syncEvents(stack.seller, `Referral_Id__c = '${referralId}' AND Direction__c = 'Inbound'`),
      (list) => list.some((e) => e.Outcome__c === 'Success'),
      { ...SYNC_DEADLINE, description: 'the inbound audit of the creation' },
    );
    // The member who is not a Salesforce user is recorded on the attempt, not lost.
    expect(events.map((e) => e.Message__c).join('\n')).toContain('pat.partner@elsewhere.example');
  });

  it('R18: explain tells the operator what happened to a Microsoft-created referral, by either id', async () => {
    const referral = await microsoftReferral();
    const referralId = String(referral.id);
    const opportunity = await waitForLinkedOpportunity(referralId);
    await inboundSettled();
    const explained = await stack.bridge.cliJson<{
      known: boolean;
      link: { opportunityId: string; referralId: string } | null;
      journal: Array<Record<string, unknown>>;
    }>(['explain', referralId]);
    expect(explained.known).toBe(true);
    expect(explained.link).toMatchObject({ opportunityId: opportunity.Id, referralId });
    expect(explained.journal.length).toBeGreaterThan(0);
    expect(JSON.stringify(explained.journal)).toMatch(/inbound/i);
    // By opportunity id, for a person: the timeline names the referral it is linked to.
    const human = await stack.bridge.cli(['explain', opportunity.Id]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(referralId);
  });

  describe('webhook signatures', () => {
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${stack.bridge.url}/webhooks/partner-center`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const certificatePath = '/cert/pcnotifications-dispatch.microsoft.com.cer';
    const forgedBody = (referralId: string) =>
      JSON.stringify({
        EventName: 'referral-created',
        ResourceUri: `${stack.partnerCenter.url}/engagements/v1/referrals/${referralId}`,
        ResourceName: 'referral',
        AuditUri: null,
        ResourceChangeUtcDate: '2026-01-01T00:00:00.0000000+00:00',
      });

    it('R8: a delivery with a forged signature is rejected with 401 and never processed', async () => {
      const referral = await microsoftReferral();
      const referralId = String(referral.id);
      await waitForLinkedOpportunity(referralId);
      const res = await post(forgedBody(referralId), {
        authorization: `Signature ${Buffer.from('not a signature').toString('base64')}`,
        'x-ms-certificate-url': `${stack.partnerCenter.url}${certificatePath}`,
        'x-ms-signature-algorithm': 'rsa-sha256',
      });
      expect(res.status).toBe(401);
      const unsigned = await post(forgedBody(referralId), {});
      expect(unsigned.status).toBe(401);
    });

    it('R8: a certificate from a host outside PARTNER_CENTER_CERTIFICATE_HOSTS is refused (401) without fetching it', async () => {
      const port = new URL(stack.partnerCenter.url).port;
      const requestsBefore = await stack.partnerCenter.control.countRequests((k) =>
        k.includes('/cert/'),
      );
      const res = await post(forgedBody('00000000-0000-0000-0000-000000000001'), {
        authorization: `Signature ${Buffer.from('x').toString('base64')}`,
        // Same emulator, but "localhost" is not the allow-listed 127.0.0.1.
        'x-ms-certificate-url': `http://localhost:${port}${certificatePath}`,
        'x-ms-signature-algorithm': 'rsa-sha256',
      });
      expect(res.status).toBe(401);
      const requestsAfter = await stack.partnerCenter.control.countRequests((k) =>
        k.includes('/cert/'),
      );
      expect(requestsAfter).toBe(requestsBefore);
      await waitFor(
        () =>
          stack.bridge.logs((l) => JSON.stringify(l).includes('localhost')).length > 0 ||
          stack.bridge.logs((l) => Number(l.level) >= 40 && /certificate/i.test(String(l.msg)))
            .length > 0,
        { timeoutMs: 5_000, description: 'a log line naming the refused certificate' },
      );
    });
  });
});
