import { waitFor, type World } from './world';

/**
 * A synced deal whose last send was a seller edit answered 204, as Microsoft documents: no eTag
 * is stored, so its next PATCH goes without If-Match. The inbox is empty when it returns.
 */
export async function dealPatchedWithoutETag(
  world: World,
  amounts: { created: number; patched: number },
): Promise<{ opportunityId: string; referralId: string }> {
  const { engine } = world.runtime;
  const inboxEmpty = async () => {
    await waitFor(
      async () => (await world.store.queueDepths()).inboxPending === 0 || undefined,
      'the inbox to be empty',
    );
    await engine.drain();
  };
  const { opportunityId } = await world.readyOpportunity({ Amount: amounts.created });
  await engine.resync({ opportunityId }, { fresh: false });
  await engine.drain();
  await inboxEmpty();
  await world.edit(opportunityId, { Amount: amounts.patched });
  await engine.resync({ opportunityId }, { fresh: false });
  await engine.drain();
  await inboxEmpty();
  const link = await world.store.getLink(opportunityId);
  if (!link?.referralId || link.eTag !== null) {
    throw new Error(`expected a linked deal without eTag, got ${JSON.stringify(link)}`);
  }
  return { opportunityId, referralId: link.referralId };
}
