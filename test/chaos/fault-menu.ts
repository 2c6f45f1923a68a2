/**
 * Every fault kind the chaos run injects, through the emulators' documented fault APIs
 * (emulators/*\/README.md). Each HTTP/webhook rule carries a `note` naming its kind (the fault
 * book keeps unknown keys), so at the end the run can tell injected faults from ones that were
 * never triggered and report only what really happened.
 */
import {
  TEST_API_VERSION,
  type FaultRule,
  type PartnerCenterControl,
  type SalesforceControl,
} from '../support';

export interface FaultTarget {
  salesforce: SalesforceControl;
  partnerCenter: PartnerCenterControl;
}

export interface FaultKind {
  kind: string;
  inject(target: FaultTarget): Promise<void>;
}

type NamedRule = FaultRule & { note: string };

const REFERRALS = '/v1.0/engagements/referrals';
/**
 * The bridge's writes to Salesforce: the write-back is one `POST /composite` (the record updates
 * plus their status events), the inbound apply goes through the same call, and the audit inserts
 * are `POST /composite/sobjects` (same prefix). Since the write-back became a Composite call it is
 * no PATCH any more: a rule on PATCH never met a bridge write, so its fault never fired.
 */
export const SALESFORCE_BRIDGE_WRITES = {
  method: 'POST',
  path: `/services/data/v${TEST_API_VERSION}/composite`,
} as const;

function rule(kind: string, body: FaultRule): NamedRule {
  return { ...body, note: kind };
}

function partnerCenterRule(kind: string, body: FaultRule): FaultKind {
  return { kind, inject: (t) => t.partnerCenter.addFault(rule(kind, body)) };
}

function salesforceRule(kind: string, body: FaultRule): FaultKind {
  return { kind, inject: (t) => t.salesforce.addFault(rule(kind, body)) };
}

/** The Salesforce REST error body for a row lock (REST API "Status Codes and Error Responses"). */
const UNABLE_TO_LOCK_ROW = [
  {
    message: 'unable to obtain exclusive access to this record or 1 records',
    errorCode: 'UNABLE_TO_LOCK_ROW',
    fields: [],
  },
];

/** The concurrent-request limit variant of REQUEST_LIMIT_EXCEEDED (retry in seconds, not a day). */
const REQUEST_LIMIT_EXCEEDED = [
  {
    message: 'ConcurrentPerOrgLongTxn Limit exceeded.',
    errorCode: 'REQUEST_LIMIT_EXCEEDED',
  },
];

export function faultMenu(options: { clientTimeouts: boolean }): FaultKind[] {
  const menu: FaultKind[] = [
    partnerCenterRule('Partner Center 429 + Retry-After', {
      match: { method: 'PATCH', path: REFERRALS },
      respond: {
        status: 429,
        headers: { 'Retry-After': '1' },
        body: { error: { code: 'tooManyRequests', message: 'Rate limit is exceeded.' } },
      },
      times: 2,
    }),
    partnerCenterRule('Partner Center 500', {
      match: { path: REFERRALS },
      respond: { status: 500, body: { error: { code: 'internalServerError', message: 'boom' } } },
      times: 1,
    }),
    partnerCenterRule('Partner Center 503', {
      match: { path: REFERRALS },
      respond: { status: 503, headers: { 'Retry-After': '1' } },
      times: 2,
    }),
    partnerCenterRule('Partner Center connection dropped', {
      match: { path: REFERRALS },
      dropConnection: true,
      times: 1,
    }),
    {
      kind: 'Partner Center token expiry',
      inject: (t) => t.partnerCenter.expireTokens(),
    },
    {
      kind: 'Salesforce token expiry',
      inject: (t) => t.salesforce.expireTokens(),
    },
    salesforceRule('Salesforce UNABLE_TO_LOCK_ROW', {
      match: SALESFORCE_BRIDGE_WRITES,
      respond: { status: 400, body: UNABLE_TO_LOCK_ROW },
      times: 1,
    }),
    // Salesforce faults match the bridge's writes only: the test's own observer reads (GET) must
    // not consume them, or the table would count faults the bridge never saw.
    salesforceRule('Salesforce REQUEST_LIMIT_EXCEEDED', {
      match: SALESFORCE_BRIDGE_WRITES,
      respond: { status: 403, body: REQUEST_LIMIT_EXCEEDED },
      times: 1,
    }),
    partnerCenterRule('webhook duplicated (3 copies)', { webhook: { duplicate: 3 }, times: 1 }),
    partnerCenterRule('webhook delayed 3 s', { webhook: { delayMs: 3_000 }, times: 1 }),
    partnerCenterRule('webhook out of order', { webhook: { reorder: true }, times: 1 }),
    partnerCenterRule('webhook dropped', { webhook: { drop: true }, times: 1 }),
    {
      kind: 'CometD 403::Unknown client (rehandshake)',
      inject: async (t) => {
        await t.salesforce.dropCometdClients();
      },
    },
    salesforceRule('Salesforce slow answer (2 s)', {
      match: { method: 'POST', path: '/services/data/' },
      latencyMs: 2_000,
      times: 2,
    }),
  ];
  if (options.clientTimeouts) {
    // Past the Referrals client's 30 s timeout: the bridge aborts and retries (long profile only).
    menu.push(
      partnerCenterRule('Partner Center timeout (35 s, client gives up at 30 s)', {
        match: { path: REFERRALS },
        latencyMs: 35_000,
        times: 1,
      }),
    );
  }
  return menu;
}

/** Fault rules never triggered (still listed with every use left), by kind. */
export async function untriggeredFaults(baseUrl: string): Promise<Map<string, number>> {
  const res = await fetch(`${baseUrl}/__emulator/faults`);
  const { rules } = (await res.json()) as {
    rules: Array<{ note?: string; remaining: number | null; times?: number }>;
  };
  const counts = new Map<string, number>();
  for (const r of rules) {
    const untouched = r.times === undefined ? false : r.remaining === r.times;
    if (r.note && untouched) counts.set(r.note, (counts.get(r.note) ?? 0) + 1);
  }
  return counts;
}
