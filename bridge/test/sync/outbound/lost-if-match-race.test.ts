import { worldForFile } from '../helpers/world';

// Real servers on a shared 2-core machine.
jest.setTimeout(30_000);

/**
 * A 412 (If-Match lost to someone else's change) is an answer that send-change.ts handles, not an
 * error that travels up. With no re-read left in the attempt it ends the job's attempt as a
 * retry decision (R14): never parked, nothing stale written, one call spent.
 */
describe('outbound: a lost If-Match race with no retry left in the attempt', () => {
  const world = worldForFile({ engine: { maxPreconditionRetries: 0 } });

  it('R14: the job waits to retry; Partner Center keeps its state and no read is spent', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    await world.runtime.engine.drain();
    const [referral] = (await world.pcReferrals()).filter(
      (r) => r.externalReferenceId === opportunityId,
    );
    // Someone else edits the referral: its eTag moves on, the stored one is stale.
    await world.pcControl('POST', `/microsoft/referrals/${String(referral!.id)}`, {
      team: [{ firstName: 'Mia', lastName: 'Msft', email: 'mia@microsoft.example' }],
    });
    await world.edit(opportunityId, { Amount: 64_000 });

    const before = await world.pcStats();
    await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    await world.runtime.engine.processOutbound();
    const after = await world.pcStats();
    const delta = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect(delta('PATCH /v1.0/engagements/referrals/{id}')).toBe(1);
    expect(delta('GET /v1.0/engagements/referrals/{id}')).toBe(0);

    const failures = await world.runtime.engine.failures();
    expect(failures).toContainEqual(
      expect.objectContaining({ direction: 'outbound', key: opportunityId, permanent: false }),
    );
    const current = (await world.pcReferrals()).find((r) => r.id === referral!.id) as {
      details: { dealValue: number };
      team: unknown[];
    };
    expect(current.details.dealValue).not.toBe(64_000);
    expect(current.team).toEqual([expect.objectContaining({ email: 'mia@microsoft.example' })]);
    const journal = await world.runtime.store.journal(opportunityId);
    expect(journal.at(-1)).toMatchObject({ direction: 'Outbound', outcome: 'Error', apiCalls: 1 });
  });
});
