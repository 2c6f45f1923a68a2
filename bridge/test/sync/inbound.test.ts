import { inboundWorldForFile, microsoftReferral, waitFor } from './helpers/world';

type Json = Record<string, unknown>;

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);
/**
 * Inbound (Partner Center → Salesforce) with the engine running its background loops: the
 * emulator signs and delivers webhooks to the bridge's real receiver, the engine persists them
 * and applies the referral it reads back. Waits poll the emulators with a deadline.
 */
describe('inbound sync (Partner Center → Salesforce)', () => {
  const world = inboundWorldForFile({ startEngine: true });

  async function createAsMicrosoft(overrides: Json = {}): Promise<Json> {
    return world.pcControl('POST', '/microsoft/referrals', microsoftReferral(overrides));
  }

  async function referral(id: string): Promise<Json> {
    const found = (await world.pcReferrals()).find((r) => r.id === id);
    if (!found) throw new Error(`no referral ${id}`);
    return found;
  }

  async function opportunitiesFor(referralId: string): Promise<Json[]> {
    return world.query(
      `SELECT Id, Name, Amount, CloseDate, StageName, Sync_with_Partner_Center__c, Partner_Center_Status__c, Partner_Center_Substatus__c, AccountId, Co_Sell_Customer_Contact__c FROM Opportunity WHERE Partner_Center_Referral_Id__c = '${referralId}'`,
    );
  }

  it('R18: a referral created by Microsoft creates the opportunity (sync on) and gets its Salesforce id back as CRM ID', async () => {
    const created = await createAsMicrosoft();
    const referralId = String(created.id);
    const crmId = await waitFor(
      async () => (await referral(referralId)).externalReferenceId as string | undefined,
      'the CRM ID written back to the referral',
    );
    const [opportunity, ...others] = await opportunitiesFor(referralId);
    expect(others).toHaveLength(0);
    expect(opportunity).toMatchObject({
      Id: crmId,
      Amount: 120_000,
      CloseDate: '2030-09-30',
      Sync_with_Partner_Center__c: true,
      Partner_Center_Status__c: 'New',
    });
    const account = await world.read('Account', String(opportunity!.AccountId));
    expect(account.BillingCountry).toBe('NO');

    // Repeated deliveries and a catch-up sweep over the same state change nothing (idempotent).
    await world.runtime.engine.catchUpPartnerCenter();
    await world.runtime.engine.drain();
    expect(await opportunitiesFor(referralId)).toHaveLength(1);
    const explanation = await world.runtime.engine.explain(referralId);
    expect(explanation.link?.opportunityId).toBe(crmId);
    expect(explanation.journal.map((e) => e.outcome)).toContain('Success');
  });

  it('R3: in a single-currency org a referral in another currency keeps its deal value as is', async () => {
    const created = await createAsMicrosoft({
      details: { ...(microsoftReferral().details as Json), dealValue: 75_000.5, currency: 'EUR' },
    });
    const crmId = await waitFor(
      async () => (await referral(String(created.id))).externalReferenceId as string | undefined,
      'the EUR referral linked to a new opportunity',
    );
    // The emulated org has one currency (USD) and no conversion rates: Referral Currency names
    // the currency the Amount is in, so nothing is converted and no rate is missing.
    const opportunity = await world.read('Opportunity', crmId);
    expect(opportunity).toMatchObject({ Amount: 75_000.5, Referral_Currency__c: 'EUR' });
    expect(opportunity).not.toHaveProperty('CurrencyIsoCode');
    const journal = await world.runtime.store.journal(String(created.id));
    expect(journal.map((e) => e.message).join('\n')).not.toMatch(/conversion rate/);
  });

  it('R4: referral team members who are not Salesforce users are named in the audit of the creation', async () => {
    const created = await createAsMicrosoft({
      team: [{ firstName: 'Pat', lastName: 'Partner', email: 'pat.partner@elsewhere.example' }],
    });
    const referralId = String(created.id);
    const entry = await waitFor(
      async () =>
        (await world.runtime.store.journal(referralId)).find((e) => e.outcome === 'Success'),
      'a Success audit entry for the creation',
    );
    expect(entry.message).toMatch(/created or linked/);
    expect(entry.message).toContain('pat.partner@elsewhere.example');
    expect(entry.message).toMatch(/not Salesforce users/);
  });

  it('R12: a referral whose CRM ID is not in Salesforce is ignored with the reason, never retried', async () => {
    const created = await createAsMicrosoft({ externalReferenceId: '0065g00000ZZZZZAAA' });
    const referralId = String(created.id);
    const entry = await waitFor(
      async () =>
        (await world.runtime.store.journal(referralId)).find((e) => e.outcome === 'Ignored'),
      'an Ignored audit entry',
    );
    expect(entry.message).toContain('0065g00000ZZZZZAAA');
    expect(entry.message).toMatch(/not an opportunity in this Salesforce org/);
    expect(await opportunitiesFor(referralId)).toHaveLength(0);
    // R10: with no opportunity to hang it on, the attempt is audited in the admin-only object.
    const audited = await waitFor(
      async () =>
        (
          await world.query(
            `SELECT Outcome__c, Direction__c FROM Co_Sell_Unlinked_Event__c WHERE Referral_Id__c = '${referralId}'`,
          )
        )[0],
      'the ignored referral in Co_Sell_Unlinked_Event__c',
    );
    expect(audited).toMatchObject({ Outcome__c: 'Ignored', Direction__c: 'Inbound' });
    const failures = await world.runtime.engine.failures();
    expect(failures.filter((f) => f.key === referralId)).toEqual([]);
  });

  it('R18: Won and Lost in Partner Center close the opportunity the same way', async () => {
    const won = await createAsMicrosoft();
    const lost = await createAsMicrosoft();
    const wonOpp = await waitFor(
      async () => (await referral(String(won.id))).externalReferenceId,
      'won linked',
    );
    const lostOpp = await waitFor(
      async () => (await referral(String(lost.id))).externalReferenceId,
      'lost linked',
    );

    for (const id of [won.id, lost.id]) {
      await world.pcControl('POST', `/microsoft/referrals/${String(id)}`, {
        status: 'Active',
        substatus: 'Accepted',
      });
    }
    await world.pcControl('POST', `/microsoft/referrals/${String(won.id)}`, {
      status: 'Closed',
      substatus: 'Won',
    });
    await world.pcControl('POST', `/microsoft/referrals/${String(lost.id)}`, {
      status: 'Closed',
      substatus: 'Lost',
    });

    await waitFor(
      async () => (await world.read('Opportunity', String(wonOpp))).StageName === 'Closed Won',
      'Closed Won in Salesforce',
    );
    await waitFor(
      async () => (await world.read('Opportunity', String(lostOpp))).StageName === 'Closed Lost',
      'Closed Lost in Salesforce',
    );
    expect((await world.read('Opportunity', String(wonOpp))).Partner_Center_Substatus__c).toBe(
      'Won',
    );
  });

  it('duplicate and out-of-order deliveries are harmless: the newest referral state wins, one opportunity', async () => {
    const created = await createAsMicrosoft();
    const referralId = String(created.id);
    const opportunityId = await waitFor(
      async () => (await referral(referralId)).externalReferenceId as string | undefined,
      'linked',
    );
    await world.pcControl('POST', '/faults', { webhook: { duplicate: 3 }, times: 2 });
    await world.pcControl('POST', '/faults', { webhook: { reorder: true }, times: 1 });
    await world.pcControl('POST', `/microsoft/referrals/${referralId}`, {
      details: { dealValue: 130_000 },
    });
    await world.pcControl('POST', `/microsoft/referrals/${referralId}`, {
      details: { dealValue: 140_000 },
    });

    await waitFor(
      async () => (await world.read('Opportunity', opportunityId)).Amount === 140_000,
      'the newest deal value in Salesforce',
    );
    // Every delivery (3 copies each, one held back) has been answered before we look again.
    await waitFor(async () => {
      const deliveries = (await world.pcControl('GET', '/deliveries')) as { value?: Json[] };
      const mine = (deliveries.value ?? []).filter((d) => String(d.body).includes(referralId));
      return (
        mine.length >= 8 &&
        mine.every((d) => ['succeeded', 'failed', 'dropped'].includes(String(d.state)))
      );
    }, 'all deliveries answered');
    await world.runtime.engine.drain();
    expect((await world.read('Opportunity', opportunityId)).Amount).toBe(140_000);
    expect(await opportunitiesFor(referralId)).toHaveLength(1);
    await world.pcControl('DELETE', '/faults');
  });

  it('R13: a referral whose webhook was lost is recovered by the Partner Center catch-up sweep', async () => {
    await world.pcControl('POST', '/faults', { webhook: { drop: true }, times: 10 });
    const created = await createAsMicrosoft();
    const referralId = String(created.id);
    await world.pcControl('DELETE', '/faults');
    expect(await opportunitiesFor(referralId)).toHaveLength(0);

    await world.runtime.engine.catchUpPartnerCenter();
    const crmId = await waitFor(
      async () => (await referral(referralId)).externalReferenceId as string | undefined,
      'CRM ID after catch-up',
    );
    expect(await opportunitiesFor(referralId)).toEqual([expect.objectContaining({ Id: crmId })]);
  });
});
