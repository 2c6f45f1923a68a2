/**
 * Plain-fetch clients for the two emulators' control APIs (`/__emulator`, DESIGN.md contract and
 * emulators/partner-center/README.md). Tests use them to seed, inject faults, act as Microsoft and
 * read counters; the bridge never sees these routes.
 */
export type Json = Record<string, unknown>;

export interface FaultRule {
  match?: { method?: string; path?: string };
  respond?: { status: number; headers?: Record<string, string>; body?: unknown };
  latencyMs?: number;
  dropConnection?: boolean;
  expireTokens?: boolean;
  webhook?: { drop?: boolean; duplicate?: number; delayMs?: number; reorder?: boolean };
  event?: string;
  times?: number;
}

export interface EmulatorStats {
  requests: Record<string, number>;
  total: number;
  [extra: string]: unknown;
}

async function control<T>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${baseUrl}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${baseUrl}/__emulator${path} answered ${res.status}: ${text}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** What both control planes share (emulators/shared). */
class ControlPlaneClient {
  constructor(readonly url: string) {}

  protected call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return control<T>(this.url, method, path, body);
  }

  /** Back to the seeded state; faults and stats are cleared too. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset', {});
  }

  stats(): Promise<EmulatorStats> {
    return this.call('GET', '/stats');
  }

  async addFault(rule: FaultRule): Promise<void> {
    await this.call('POST', '/faults', rule);
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }

  /** Every token issued so far answers as expired from now on. */
  async expireTokens(): Promise<void> {
    await this.call('POST', '/faults', { expireTokens: true });
  }

  /** Sum of request counts whose route key satisfies `predicate` (e.g. starts with a method). */
  async countRequests(predicate: (routeKey: string) => boolean): Promise<number> {
    const { requests } = await this.stats();
    return Object.entries(requests).reduce((sum, [key, n]) => (predicate(key) ? sum + n : sum), 0);
  }
}

export class SalesforceControl extends ControlPlaneClient {
  /** Inserts records as a person in the UI would (no client id ⇒ CDC changeOrigin is empty). */
  async createRecords(sobject: string, records: Json[], as?: string): Promise<string[]> {
    const { ids } = await this.call<{ ids: string[] }>('POST', '/records', {
      sobject,
      records,
      as,
    });
    return ids;
  }

  async createRecord(sobject: string, record: Json, as?: string): Promise<string> {
    const [id] = await this.createRecords(sobject, [record], as);
    if (!id) throw new Error(`no id returned for the ${sobject} insert`);
    return id;
  }

  /** A UI-like edit of one record (as the seller unless `as` names another username). */
  async updateRecord(id: string, fields: Json, as?: string): Promise<void> {
    await this.call('PATCH', `/records/${id}`, { fields, as });
  }

  users(): Promise<Record<'admin' | 'integration' | 'seller', { id: string; username: string }>> {
    return this.call('GET', '/users');
  }

  /** A refresh token for `username`, so a jsforce client can act as that user. */
  async refreshTokenFor(username: string): Promise<string> {
    const { refresh_token } = await this.call<{ refresh_token: string }>(
      'POST',
      '/refresh-tokens',
      {
        username,
      },
    );
    return refresh_token;
  }

  async setPermissionSet(
    permissionSet: string,
    assigned: boolean,
    username?: string,
  ): Promise<void> {
    await this.call('POST', '/permission-sets', { permissionSet, assigned, username });
  }

  settings(settings: {
    multiCurrency?: boolean;
    corporateCurrency?: string;
    currencyCodes?: string[];
    dailyApiRequests?: number;
    tokenTtlMs?: number;
  }): Promise<Json> {
    return this.call('POST', '/settings', settings);
  }

  async advanceClock(advanceMs: number): Promise<void> {
    await this.call('POST', '/clock', { advanceMs });
  }

  async setRetention(retentionMs: number): Promise<void> {
    await this.call('POST', '/retention', { retentionMs });
  }

  events(): Promise<{
    latestReplayId: number;
    oldestRetainedReplayId: number;
    retentionMs: number;
    cometdClients: number;
  }> {
    return this.call('GET', '/events');
  }

  /** Publishes a CDC gap/overflow event, as Salesforce does when it cannot send the changes. */
  async publishGap(
    entity: string,
    changeType: 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE' | 'GAP_OVERFLOW',
    recordIds: string[] = [],
  ): Promise<void> {
    await this.call('POST', '/cdc/gap', { entity, changeType, recordIds });
  }

  dropCometdClients(): Promise<{ dropped: number }> {
    return this.call('POST', '/cometd/drop-clients', {});
  }
}

export interface Delivery {
  id: string;
  eventName: string;
  url: string;
  body: string;
  state: 'scheduled' | 'held' | 'in-flight' | 'retrying' | 'succeeded' | 'failed' | 'dropped';
  attempts: Array<{ at: string; status?: number; error?: string }>;
}

export class PartnerCenterControl extends ControlPlaneClient {
  /** Every referral in the emulator, without touching its stats. */
  async referrals(): Promise<Json[]> {
    return (await this.call<{ value: Json[] }>('GET', '/referrals')).value;
  }

  /**
   * The referrals changed since change number `after` (every one for 0) and the number to pass
   * next time: polling a large world without copying all of it each time.
   */
  referralsChangedAfter(after: number): Promise<{ value: Json[]; sequence: number }> {
    return this.call('GET', `/referrals?after=${after}`);
  }

  /** Microsoft creates a referral for the partner (incoming, New/Pending); fires referral-created. */
  microsoftCreate(referral: Json): Promise<Json> {
    return this.call('POST', '/microsoft/referrals', referral);
  }

  /** Microsoft changes a referral (deep merge, status table enforced); fires referral-updated. */
  microsoftUpdate(id: string, changes: Json): Promise<Json> {
    return this.call('POST', `/microsoft/referrals/${id}`, changes);
  }

  async solutions(): Promise<Array<{ id: string; name: string }>> {
    return (await this.call<{ value: Array<{ id: string; name: string }> }>('GET', '/solutions'))
      .value;
  }

  async addSolution(solution: { id: string; name: string }): Promise<void> {
    await this.call('POST', '/solutions', solution);
  }

  async setReferralsAdminRole(granted: boolean): Promise<void> {
    await this.call('POST', '/roles', { referralsAdmin: granted });
  }

  async revokeRefreshTokens(): Promise<void> {
    await this.call('POST', '/tokens', { revokeRefreshTokens: true });
  }

  async advanceClock(advanceMs: number): Promise<void> {
    await this.call('POST', '/clock', { advanceMs });
  }

  async deliveries(): Promise<Delivery[]> {
    return (await this.call<{ value: Delivery[] }>('GET', '/deliveries')).value;
  }

  /** Referrals API requests since the last reset (R1: what the bridge spent), faulted ones included. */
  async referralsApiCalls(): Promise<number> {
    return this.countRequests((key) => key.includes('/v1.0/engagements/referrals'));
  }
}
