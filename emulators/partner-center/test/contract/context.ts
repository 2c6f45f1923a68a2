import { referralBody, type Harness, type Json, type WebhookReceiver } from '../helpers';

/** What a documented fact is checked with: the emulator, tokens, a webhook receiver. */
export interface ContractContext {
  pc: Harness;
  /** App+User token for the Referrals API. */
  referralsToken: string;
  /** App-only token for the webhook API. */
  webhookToken: string;
  receiver: WebhookReceiver;
  /** Server page size the emulator was started with (small, so paging is visible). */
  pageSize: number;
}

export const REFERRALS = '/v1.0/engagements/referrals';

/** One of Microsoft's documented facts, in our words, with the check that proves it. */
export interface DocumentedFact {
  /** Short stable id, e.g. `list.top-is-total`. */
  id: string;
  /** The fact, in our own words. */
  fact: string;
  /** Where Microsoft documents it (keys of shared/reference/partner-center-api.md). */
  source: string;
  check(context: ContractContext): Promise<void>;
}

export const referrals = {
  create(c: ContractContext, overrides: Json = {}) {
    return c.pc.api('POST', REFERRALS, { token: c.referralsToken, body: referralBody(overrides) });
  },
  async created(c: ContractContext, overrides: Json = {}): Promise<Json> {
    const res = await referrals.create(c, overrides);
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  },
  get(c: ContractContext, id: unknown) {
    return c.pc.api('GET', `${REFERRALS}/${String(id)}`, { token: c.referralsToken });
  },
  async current(c: ContractContext, id: unknown): Promise<Json> {
    return (await (await referrals.get(c, id)).json()) as Json;
  },
  patch(c: ContractContext, id: unknown, ops: unknown, headers: Record<string, string> = {}) {
    return c.pc.api('PATCH', `${REFERRALS}/${String(id)}`, {
      token: c.referralsToken,
      body: ops,
      headers,
    });
  },
  list(c: ContractContext, query: string) {
    return c.pc.api('GET', `${REFERRALS}?${query}`, { token: c.referralsToken });
  },
};

export function webhookApi(c: ContractContext, method: string, path: string, body?: unknown) {
  return c.pc.api(method, `/webhooks/v1${path}`, { token: c.webhookToken, body });
}

/** The `error` object of a Referrals API error body, checked for Microsoft's shape. */
export async function referralsError(res: Response): Promise<Json> {
  const body = (await res.json()) as { error?: Json };
  expect(body.error).toEqual(
    expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
  );
  return body.error as Json;
}

/** ISO 8601 UTC with seven fractional digits (.NET ticks). */
export const SEVEN_DIGITS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}(Z|\+00:00)$/;
