/**
 * A MODEL of the flow-style algorithm behind Microsoft's co-sell connector for Salesforce (a set
 * of Power Automate flows), written only to compare call counts and latency on the same workload.
 * It is not Microsoft's code and not a product feature. What it does, per the connector's
 * documented behaviour:
 *
 *   every `pollIntervalMs`: one SOQL query for sync-enabled opportunities modified since the last
 *   poll (a polling "When a record is modified" trigger, split on records), then one flow run per
 *   returned record, `concurrency` runs at a time. A run:
 *     1. GET the referral by external id (`$filter=externalReferenceId eq '<opportunity id>'`);
 *     2. PATCH the connector's synced fields (name, deal value, currency, closing date, notes) —
 *        no diffing, a flow sends what it maps — or POST a new referral when none exists;
 *     3. update the opportunity (referral id, sync status, last synced): one REST call.
 *
 * Assumptions that favour the baseline are written down in docs/BENCHMARKS.md: its own write-back
 * never re-triggers it (the trigger skips records last modified by the flow's user), and it
 * polls far more often than Power Automate's Salesforce trigger does.
 */
import type { Connection } from 'jsforce';

export interface FlowModelCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

export interface FlowModelOptions {
  /** The flow's Salesforce connection (its own user, so its writes can be told apart). */
  salesforce: Connection;
  /** Salesforce user id of that connection: the trigger skips the flow's own writes. */
  selfUserId: string;
  partnerCenterUrl: string;
  credentials: FlowModelCredentials;
  pollIntervalMs: number;
  concurrency: number;
  fetch?: typeof fetch;
}

export interface FlowModelCounters {
  polls: number;
  runs: number;
  failedRuns: number;
  partnerCenterCalls: number;
  salesforceCalls: number;
}

export interface FlowModel {
  start(): void;
  /** Stops polling and waits for the runs in flight; the watermark is kept for the next start. */
  stop(): Promise<void>;
  /** No flow run queued or in flight. */
  isIdle(): boolean;
  readonly counters: Readonly<FlowModelCounters>;
  readonly errors: readonly string[];
}

interface OpportunityRow {
  Id: string;
  Name: string;
  Amount: number | null;
  CloseDate: string | null;
  Description: string | null;
  Referral_Currency__c: string | null;
  LastModifiedDate: string;
  Account: { Name: string; BillingCountry: string | null } | null;
  Co_Sell_Customer_Contact__r: {
    FirstName: string | null;
    LastName: string;
    Email: string | null;
  } | null;
  Co_Sell_Solutions__r: {
    records: Array<{ Microsoft_Solution__r: { Solution_Id__c: string } | null }>;
  } | null;
}

const REFERRALS = '/v1.0/engagements/referrals';

export function createFlowModel(options: FlowModelOptions): FlowModel {
  const doFetch = options.fetch ?? fetch;
  const counters: FlowModelCounters = {
    polls: 0,
    runs: 0,
    failedRuns: 0,
    partnerCenterCalls: 0,
    salesforceCalls: 0,
  };
  const errors: string[] = [];
  const queue: OpportunityRow[] = [];
  /** Last version of each record a run was started for (a poll overlaps the previous one by 1 s). */
  const seenVersion = new Map<string, string>();
  let watermark = secondsIso(Date.now() - 1_000);
  let inFlight = 0;
  let polling = false;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let token: { value: string; expiresAt: number } | undefined;
  const settled: Array<() => void> = [];

  async function poll(): Promise<void> {
    polling = true;
    try {
      counters.polls += 1;
      const rows = await queryAll(pollSoql(watermark, options.selfUserId));
      for (const row of rows) {
        if (seenVersion.get(row.Id) === row.LastModifiedDate) continue;
        seenVersion.set(row.Id, row.LastModifiedDate);
        queue.push(row);
        const modified = Date.parse(row.LastModifiedDate.replace(/\+0000$/, 'Z'));
        // Whole seconds, one second of overlap: SOQL datetime literals have no fractions.
        const candidate = secondsIso(modified - 1_000);
        if (candidate > watermark) watermark = candidate;
      }
      pump();
    } catch (error) {
      errors.push(`poll: ${(error as Error).message}`);
    } finally {
      polling = false;
      if (running) timer = setTimeout(() => void poll(), options.pollIntervalMs);
      notifyIfIdle();
    }
  }

  function pump(): void {
    while (inFlight < options.concurrency && queue.length > 0) {
      const row = queue.shift()!;
      inFlight += 1;
      void flowRun(row)
        .catch((error: unknown) => {
          counters.failedRuns += 1;
          if (errors.length < 20) errors.push(`run ${row.Id}: ${(error as Error).message}`);
        })
        .finally(() => {
          inFlight -= 1;
          pump();
          notifyIfIdle();
        });
    }
  }

  async function flowRun(row: OpportunityRow): Promise<void> {
    counters.runs += 1;
    const filter = encodeURIComponent(`externalReferenceId eq '${row.Id}'`);
    const found = await partnerCenter<{ value: Array<{ id: string; status?: string }> }>(
      'GET',
      `${REFERRALS}?$filter=${filter}`,
    );
    const existing = found.value[0];
    let referralId: string;
    if (existing) {
      await partnerCenter('PATCH', `${REFERRALS}/${existing.id}`, updateOperations(row));
      referralId = existing.id;
    } else {
      const created = await partnerCenter<{ id: string }>('POST', REFERRALS, createBody(row));
      referralId = created.id;
    }
    counters.salesforceCalls += 1;
    const result = await options.salesforce.sobject('Opportunity').update({
      Id: row.Id,
      Partner_Center_Referral_Id__c: referralId,
      Partner_Center_Sync_Status__c: 'Synced',
      Partner_Center_Last_Synced__c: new Date().toISOString(),
    });
    if (!result.success) throw new Error(`opportunity update refused: ${JSON.stringify(result)}`);
  }

  async function queryAll(soql: string): Promise<OpportunityRow[]> {
    counters.salesforceCalls += 1;
    let page = await options.salesforce.query<OpportunityRow>(soql);
    const rows = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      counters.salesforceCalls += 1;
      page = await options.salesforce.queryMore<OpportunityRow>(page.nextRecordsUrl);
      rows.push(...page.records);
    }
    return rows;
  }

  async function partnerCenter<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      counters.partnerCenterCalls += 1;
      const res = await doFetch(`${options.partnerCenterUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await accessToken()}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status === 401 && attempt === 0) {
        token = undefined;
        continue;
      }
      if (!res.ok)
        throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    }
  }

  async function accessToken(): Promise<string> {
    if (token && token.expiresAt > Date.now() + 60_000) return token.value;
    const c = options.credentials;
    const res = await doFetch(`${options.partnerCenterUrl}/${c.tenantId}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        resource: 'https://api.partner.microsoft.com',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        username: c.username,
        password: c.password,
      }),
    });
    const answer = (await res.json()) as { access_token?: string; expires_in?: string };
    if (!res.ok || !answer.access_token) throw new Error(`token request answered ${res.status}`);
    token = {
      value: answer.access_token,
      expiresAt: Date.now() + Number(answer.expires_in ?? 3600) * 1000,
    };
    return token.value;
  }

  /** No run queued or in flight; polling on an interval is what an idle flow does. */
  function isIdle(): boolean {
    return inFlight === 0 && queue.length === 0;
  }

  function notifyIfIdle(): void {
    if (inFlight === 0 && !polling) while (settled.length > 0) settled.shift()!();
  }

  return {
    start() {
      if (running) return;
      running = true;
      void poll();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      if (polling || inFlight > 0) await new Promise<void>((resolve) => settled.push(resolve));
    },
    isIdle,
    counters,
    errors,
  };
}

function secondsIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The trigger's query: sync-enabled opportunities modified since the watermark, not by us. */
export function pollSoql(watermark: string, selfUserId: string): string {
  return [
    'SELECT Id, Name, Amount, CloseDate, Description, Referral_Currency__c, LastModifiedDate,',
    'Account.Name, Account.BillingCountry,',
    'Co_Sell_Customer_Contact__r.FirstName, Co_Sell_Customer_Contact__r.LastName, Co_Sell_Customer_Contact__r.Email,',
    '(SELECT Microsoft_Solution__r.Solution_Id__c FROM Co_Sell_Solutions__r)',
    'FROM Opportunity',
    `WHERE Sync_with_Partner_Center__c = true AND LastModifiedDate >= ${watermark}`,
    `AND LastModifiedById != '${selfUserId}'`,
    'ORDER BY LastModifiedDate',
  ].join(' ');
}

function closingDateTime(row: OpportunityRow): string | undefined {
  return row.CloseDate ? `${row.CloseDate}T00:00:00Z` : undefined;
}

/** The connector's CRM → Partner Center fields, sent as they are (no diff against the referral). */
export function updateOperations(
  row: OpportunityRow,
): Array<{ op: 'replace'; path: string; value: unknown }> {
  const ops: Array<{ op: 'replace'; path: string; value: unknown }> = [
    { op: 'replace', path: '/name', value: row.Name },
    { op: 'replace', path: '/details/dealValue', value: row.Amount ?? 0 },
  ];
  if (row.Referral_Currency__c) {
    ops.push({ op: 'replace', path: '/details/currency', value: row.Referral_Currency__c });
  }
  const closing = closingDateTime(row);
  if (closing) ops.push({ op: 'replace', path: '/details/closingDateTime', value: closing });
  if (row.Description) ops.push({ op: 'replace', path: '/details/notes', value: row.Description });
  return ops;
}

export function createBody(row: OpportunityRow): Record<string, unknown> {
  const contact = row.Co_Sell_Customer_Contact__r;
  const solutions = (row.Co_Sell_Solutions__r?.records ?? [])
    .map((r) => r.Microsoft_Solution__r?.Solution_Id__c)
    .filter((id): id is string => typeof id === 'string')
    .map((id) => ({ id, type: 'Name' }));
  return {
    name: row.Name,
    externalReferenceId: row.Id,
    type: 'Independent',
    qualification: 'SalesQualified',
    customerProfile: {
      name: row.Account?.Name ?? row.Name,
      address: { country: row.Account?.BillingCountry ?? '' },
      team: contact?.Email
        ? [{ firstName: contact.FirstName ?? '', lastName: contact.LastName, email: contact.Email }]
        : [],
    },
    consent: {
      consentToShareInfoWithOthers: true,
      consentToContact: true,
      consentToMicrosoftToContactSpecificPartners: true,
      consentToShareReferralWithMicrosoftSellers: false,
    },
    details: {
      dealValue: row.Amount ?? 0,
      currency: row.Referral_Currency__c ?? 'USD',
      ...(closingDateTime(row) ? { closingDateTime: closingDateTime(row) } : {}),
      ...(row.Description ? { notes: row.Description } : {}),
      requirements: { solutions },
    },
    team: [],
  };
}
