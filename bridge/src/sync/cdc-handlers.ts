/**
 * What the engine does with each thing the CDC subscriber reports: a batch of events and a gap go
 * to the change intake; a replay id outside the retention window, or a stream that starts at
 * "new events only", is covered by a reconciliation sweep before the stream moves on.
 */
import type { Logger } from 'pino';
import type { CdcHandlers } from '../salesforce';
import type { StateStore } from '../store';
import type { createChangeIntake } from './change-intake';

export function createCdcHandlers(deps: {
  store: Pick<StateStore, 'getReplayId'>;
  recordChangeEvents: ReturnType<typeof createChangeIntake>;
  /** Awaited: the subscriber takes the next batch only after the sweep. */
  reconcile: (reason: string) => Promise<unknown>;
  logger: Logger;
}): CdcHandlers {
  const { recordChangeEvents, reconcile, logger: log } = deps;
  return {
    getReplayId: (channel) => deps.store.getReplayId(channel),
    onEvents: (channel, batch) => recordChangeEvents(channel, batch),
    async onGap(channel, header, replayId) {
      // The gap event still moves the cursor; the triage re-reads its records or reconciles.
      await recordChangeEvents(channel, [{ replayId, header, fields: {} }]);
    },
    async onReplayInvalid(channel, staleReplayId) {
      log.warn(
        { event: 'sync.replay_invalid', channel, staleReplayId },
        'stored replay id is outside the retention window; reconciling by SystemModstamp',
      );
      // Awaited: the subscriber is live again at -1, so this sweep plus the stream miss nothing.
      await reconcile(`replay window expired on ${channel}`);
    },
    async onNewEventsOnly(channel) {
      // A first start (or a resubscribe before any event) listens from now on: the start-up
      // sweep ran before the subscription existed, so changes committed in between are only
      // found by a sweep that starts now. Not collapsed into a running sweep: that one may have
      // read before the subscription. Awaited, like onReplayInvalid, to keep the stream ordered.
      await reconcile(`change stream live from now on ${channel}`);
    },
    onMalformed(channel, problem, replayId) {
      log.warn(
        { event: 'sync.cdc_malformed', channel, replayId, problem },
        'malformed change event skipped',
      );
    },
  };
}
