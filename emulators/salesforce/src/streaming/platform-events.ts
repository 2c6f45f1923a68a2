import { cometdDateTime } from '../clock';
import type { Org } from '../data/org';
import type { PublishedEvent } from '../data/record-store';
import type { Schema } from '../schema/types';
import { schemaId } from './change-events';
import type { EventLog } from './event-log';

/** `/event/Co_Sell_Sync_Update__e` → the event object, when the org defines one by that name. */
export function platformEventOf(schema: Schema, channel: string) {
  const m = /^\/event\/(\w+__e)$/.exec(channel);
  const obj = m?.[1] ? schema.object(m[1]) : undefined;
  return obj?.platformEvent ? obj : undefined;
}

/**
 * Delivers published platform events on `/event/<Name>` ("Platform Event Message Format"): the
 * payload carries CreatedDate, CreatedById and the custom fields; `event` carries the replay id
 * and EventUuid. Events share the bus (and replay ids, retention) with change events.
 */
export function publishPlatformEvents(org: Org, log: EventLog): void {
  org.onPublish((events: PublishedEvent[]) => {
    const now = org.clock.now();
    for (const e of events) {
      const { EventUuid, CreatedDate, ...rest } = e.fields;
      const payload = { ...rest, CreatedDate: cometdDateTime(String(CreatedDate)) };
      const data = { schema: schemaId(e.object), payload };
      log.append([`/event/${e.object}`], data, now, String(EventUuid));
    }
  });
}
