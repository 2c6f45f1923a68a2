/**
 * The admin's field mapping as the running bridge uses it. Read at start, then polled:
 * Salesforce publishes no change event for custom metadata (no CDC, no triggers, and a
 * metadata deploy is not observable through the data APIs), so the bridge re-reads the few
 * records on a timer, one SOQL query a poll (BRIDGE_FIELD_MAP_REFRESH_SECONDS, default 60 s:
 * 1,440 calls a day against an org allocation of 100,000+, and an admin sees an edit take
 * effect within a minute). Only records that changed are validated (the describes cost calls),
 * except an invalid mapping, which is checked at every poll (its fix may be a permission, not a
 * record) and logged once per distinct set of problems; the last valid mapping stays in force.
 */
import type { Logger } from 'pino';
import {
  type FieldMapRecord,
  type FieldMapRule,
  SHIPPED_FIELD_MAP,
  fieldMapFromRecords,
  stableStringify,
  validateFieldMap,
} from '../mapping';
import { describeForFieldMap, readFieldMapRecords, type SalesforceConnection } from '../salesforce';

export interface FieldMapSource {
  /** The mapping in force (the shipped one until the records were read once). */
  rules(): readonly FieldMapRule[];
  /** Reads the records now; resolves whether they were applied, kept or refused. */
  refresh(): Promise<'applied' | 'unchanged' | 'invalid' | 'unreadable'>;
  start(): void;
  stop(): void;
}

export function createFieldMapSource(options: {
  salesforce: SalesforceConnection;
  logger: Logger;
  intervalMs: number;
  read?: (salesforce: SalesforceConnection) => Promise<FieldMapRecord[]>;
}): FieldMapSource {
  const log = options.logger.child({ module: 'field-map' });
  const read = options.read ?? readFieldMapRecords;
  let rules: readonly FieldMapRule[] = SHIPPED_FIELD_MAP;
  let lastSeen: string | undefined;
  let lastProblems: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<Awaited<ReturnType<FieldMapSource['refresh']>>> | undefined;

  async function load(): Promise<Awaited<ReturnType<FieldMapSource['refresh']>>> {
    let records: FieldMapRecord[];
    try {
      records = await read(options.salesforce);
    } catch (error) {
      log.warn(
        { event: 'field_map.unreadable', err: (error as Error).message },
        `cannot read Co_Sell_Field_Map__mdt (${(error as Error).message}); the bridge keeps its current field mapping`,
      );
      return 'unreadable';
    }
    const seen = stableStringify(
      [...records].sort((a, b) => a.DeveloperName.localeCompare(b.DeveloperName)),
    );
    if (seen === lastSeen) return 'unchanged';
    const parsed = fieldMapFromRecords(records);
    const problems = [
      ...parsed.problems,
      ...validateFieldMap(
        parsed.rules,
        await describeForFieldMap(options.salesforce, parsed.rules),
      ),
    ];
    if (problems.length > 0) {
      // Not remembered as seen: an invalid mapping is checked again at every poll, because the
      // fix may be outside the records (granting the field to the bridge's user).
      const text = stableStringify(problems);
      if (text === lastProblems) return 'invalid';
      lastProblems = text;
      log.error(
        { event: 'field_map.invalid', problems },
        `the field mapping in Co_Sell_Field_Map__mdt is invalid, so the bridge keeps the previous one: ${problems
          .map((p) => `${p.record}: ${p.message}`)
          .join('; ')} (run cosell doctor)`,
      );
      return 'invalid';
    }
    rules = parsed.rules;
    lastSeen = seen;
    lastProblems = undefined;
    const custom = parsed.rules.filter((r) => r.handler === null).map((r) => r.name);
    log.info(
      { event: 'field_map.applied', records: parsed.rules.length, custom },
      `field mapping applied: ${parsed.rules.length} record(s)${custom.length ? `, custom: ${custom.join(', ')}` : ''}`,
    );
    return 'applied';
  }

  return {
    rules: () => rules,
    refresh() {
      // One read at a time: a slow poll and an explicit refresh share the same answer.
      inFlight ??= load().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    start() {
      timer ??= setInterval(() => void this.refresh(), options.intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
