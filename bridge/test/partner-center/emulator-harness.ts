/**
 * Starts the Partner Center emulator in-process and builds the real clients against it over
 * loopback HTTP. Nothing here stands in for Partner Center: the emulator does.
 */
import pino from 'pino';
import {
  DEFAULTS,
  startPartnerCenterEmulator,
  type PartnerCenterEmulatorOptions,
  type RunningPartnerCenterEmulator,
} from '../../../emulators/partner-center/src';
import {
  createAppTokenProvider,
  createReferralsClient,
  createTokenProvider,
  createWebhookRegistrationClient,
  type ApiCallListener,
  type BeforeApiCall,
  type UserGrant,
} from '../../src/partner-center';
import type { ReferralCreate } from '../../src/schemas';
import { forTestFile } from '../../../test/support/for-test-file';
import { documentedReferralSample } from '../../../test/support/referral-samples';

export const REFERRALS_RESOURCE = 'https://api.partner.microsoft.com';
export const WEBHOOK_SCOPE = 'https://api.partnercenter.microsoft.com/.default';
export const silent = pino({ level: 'silent' });

export interface Call {
  api: string;
  operation: string;
  status: number;
}

export interface Harness {
  emulator: RunningPartnerCenterEmulator;
  url: string;
  /** Every HTTP attempt the clients made (onApiCall), in order. */
  calls: Call[];
  userTokens(grant?: UserGrant): ReturnType<typeof createTokenProvider>;
  referrals(options?: {
    beforeApiCall?: BeforeApiCall;
    timeoutMs?: number;
    tokens?: ReturnType<typeof createTokenProvider>;
  }): ReturnType<typeof createReferralsClient>;
  /** URLs the referrals clients requested, decoded, in order. */
  requests(): string[];
  webhooks(): ReturnType<typeof createWebhookRegistrationClient>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Requests per route as the emulator counted them. */
  stats(): Promise<Record<string, number>>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const PASSWORD_GRANT = {
  type: 'password',
  username: DEFAULTS.username,
  password: DEFAULTS.password,
} as const satisfies UserGrant;

/** Pages of 2 referrals, so listing tests cross page boundaries with a handful of referrals. */
export const HARNESS_PAGE_SIZE = 2;

export async function startHarness(
  emulatorOptions: PartnerCenterEmulatorOptions = {},
): Promise<Harness> {
  const emulator = await startPartnerCenterEmulator({
    webhookRetryScheduleMs: [200, 400],
    pageSize: HARNESS_PAGE_SIZE,
    ...emulatorOptions,
  });
  const url = emulator.url;
  const calls: Call[] = [];
  // Every URL the referrals client requested (a pass-through fetch that only notes the URL).
  const urls: string[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return fetch(input, init);
  };
  const onApiCall: ApiCallListener = (api, operation, status) =>
    calls.push({ api, operation, status });
  const common = {
    tokenUrl: `${url}/{tenant}/oauth2/token`,
    tenantId: 'contoso.onmicrosoft.com',
    clientId: DEFAULTS.clientId,
    clientSecret: DEFAULTS.clientSecret,
    onApiCall,
  };
  const userTokens = (grant: UserGrant = PASSWORD_GRANT) =>
    createTokenProvider({ ...common, resource: REFERRALS_RESOURCE, grant });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}/__emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
  return {
    emulator,
    url,
    calls,
    userTokens,
    referrals: (options = {}) =>
      createReferralsClient({
        baseUrl: url,
        tokens: options.tokens ?? userTokens(),
        logger: silent,
        onApiCall,
        beforeApiCall: options.beforeApiCall,
        timeoutMs: options.timeoutMs,
        retry: { baseMs: 20, maxMs: 100 },
        fetch: recordingFetch,
      }),
    requests: () => urls.map((u) => decodeURIComponent(u)),
    webhooks: () =>
      createWebhookRegistrationClient({
        baseUrl: url,
        tokens: createAppTokenProvider({
          ...common,
          tokenUrl: `${url}/{tenant}/oauth2/v2.0/token`,
          scope: WEBHOOK_SCOPE,
        }),
        logger: silent,
        onApiCall,
      }),
    control,
    async stats() {
      const body = (await control('GET', '/stats')) as { requests: Record<string, number> };
      return body.requests;
    },
    async reset() {
      calls.length = 0;
      urls.length = 0;
      await control('POST', '/reset');
    },
    stop: () => emulator.stop(),
  };
}

/**
 * The emulator and clients a test file shares (test/support's forTestFile): started before its
 * first test, reset (calls forgotten, emulator emptied) before each, stopped after the last.
 */
export function harnessForFile(emulatorOptions: PartnerCenterEmulatorOptions = {}): Harness {
  return forTestFile(() => startHarness(emulatorOptions), {
    stop: (harness) => harness.stop(),
    resetBeforeEach: (harness) => harness.reset(),
  });
}

/** A valid create body, as the mapping module would produce it. */
export function newReferral(
  externalReferenceId: string,
  overrides: Partial<ReferralCreate> = {},
): ReferralCreate {
  return {
    name: `Contoso migration ${externalReferenceId}`,
    externalReferenceId,
    type: 'Independent',
    qualification: 'SalesQualified',
    customerProfile: {
      name: 'Contoso Customer Inc',
      address: documentedReferralSample().customerProfile.address,
      team: [{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@contoso.example' }],
    },
    consent: {
      consentToToShareInfoWithOthers: false,
      consentToContact: true,
      consentToMicrosoftToContactSpecificPartners: false,
      consentToShareReferralWithMicrosoftSellers: false,
    },
    details: {
      notes: 'Lift and shift of 40 VMs',
      dealValue: 50_000,
      currency: 'USD',
      closingDateTime: '2027-03-31T00:00:00Z',
      requirements: {
        solutions: [{ id: 'SOL-EMU-0001-AZR', type: 'Name' }],
        additionalRequirements: {
          attributes: [{ id: 'HaveNotDecided', type: 'CustomerMarketplaceIntent' }],
        },
      },
    },
    team: [{ firstName: 'Sam', lastName: 'Seller', email: 'sam@partner.example' }],
    target: [],
    ...overrides,
  };
}
