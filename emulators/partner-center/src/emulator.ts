import express, { type Express } from 'express';
import { createControlPlane, listen, type FaultRule } from '../../shared/src';
import { REFERRALS_RESOURCE, WEBHOOK_RESOURCE } from './auth/resources';
import { requireToken } from './auth/require-token';
import { TokenBook } from './auth/token-book';
import { createTokenRouter } from './auth/token-routes';
import { EmulatorClock, toDotNetUtc, utcDay, type TimeSource } from './clock';
import { addPartnerCenterControls } from './control/control-routes';
import { newGuid } from './ids';
import { unauthorized } from './referrals/api-error';
import { ReferralService, type ReferralEventName } from './referrals/referral-service';
import { ReferralStore } from './referrals/referral-store';
import { createReferralsRouter } from './referrals/referrals-routes';
import { SolutionCatalog, type Solution } from './referrals/solution-catalog';
import { REFERRALS_PATH, routeKey, WEBHOOK_API_PATH } from './route-key';
import { toWebhookDate } from './timestamps';
import {
  deliveryFaultOf,
  isDeliveryFault,
  validateDeliveryFaultRule,
} from './webhooks/delivery-faults';
import { DEFAULT_RETRY_SCHEDULE_MS, WebhookDispatcher } from './webhooks/dispatcher';
import { CERTIFICATE_PATH, signingCertificate } from './webhooks/signing-certificate';
import { sendWebhookError } from './webhooks/webhook-error';
import {
  createWebhookRouter,
  emptyWebhookState,
  recordValidationAttempt,
} from './webhooks/webhook-routes';

export interface PartnerCenterEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Accept only this tenant id on the token endpoints (default: any). */
  tenant?: string;
  /** Access token lifetime (default one hour, as Entra issues). */
  tokenTtlMs?: number;
  /** Delays between webhook retries (default 1 s, 2 s, 4 s … 256 s: 10 attempts). */
  webhookRetryScheduleMs?: number[];
  /** Time source under the controllable clock (default `Date.now`). */
  clock?: TimeSource;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  /** Initial co-sell-ready solutions (also what reset restores). */
  solutions?: Solution[];
  /** Referrals per list page, chosen by the server (default 100); `$top` is a total, not this. */
  pageSize?: number;
  /**
   * Behaviour Microsoft does not document (ETag response headers, 201 + Location on create, the
   * referral after PATCH with `Prefer: return=representation`). Off by default: a client tested
   * with it on may break against Partner Center.
   */
  undocumentedConveniences?: boolean;
}

export interface RunningPartnerCenterEmulator {
  url: string;
  port: number;
  /** Partner organization id the referrals carry (also the webhook SubscriberId). */
  partnerId: string;
  stop(): Promise<void>;
}

export const DEFAULTS = {
  clientId: 'emulator-client',
  clientSecret: 'emulator-secret',
  username: 'admin@partner.example',
  password: 'emulator-password',
};

/** Builds and starts the Partner Center emulator: token endpoints, Referrals API, webhooks. */
export async function startPartnerCenterEmulator(
  options: PartnerCenterEmulatorOptions = {},
): Promise<RunningPartnerCenterEmulator> {
  const certificate = await signingCertificate();
  let origin = '';
  const clock = new EmulatorClock(options.clock);
  const tokens = new TokenBook(() => clock.now(), options.tokenTtlMs ?? 3_600_000);
  const store = new ReferralStore();
  const solutions = new SolutionCatalog(options.solutions);
  const roles = { referralsAdmin: true };
  const partner = { organizationId: newGuid(), organizationName: 'Emulated Partner Ltd' };
  const webhookState = emptyWebhookState();
  const dailyCalls = new Map<string, number>();

  const plane = createControlPlane({
    routeKey,
    onReset: () => {
      clock.reset();
      tokens.clear();
      store.clear();
      solutions.reset();
      roles.referralsAdmin = true;
      dispatcher.reset();
      Object.assign(webhookState, emptyWebhookState());
      delete webhookState.registration;
      dailyCalls.clear();
    },
    onExpireTokens: () => tokens.expireAll(),
    extraStats: () => ({
      dailyCalls: Object.fromEntries(dailyCalls),
      deliveries: dispatcher.stats(),
      referrals: store.size,
    }),
    validateRule: validateDeliveryFaultRule,
  });

  const dispatcher = new WebhookDispatcher({
    certificate,
    certificateUrl: () => `${origin}${CERTIFICATE_PATH}`,
    retryScheduleMs: options.webhookRetryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
    signatureInMsHeader: () =>
      webhookState.registration?.SignatureTokenToMsSignatureHeader ?? false,
    takeFault: (eventName) =>
      deliveryFaultOf(
        plane.faults.take({ method: 'POST', path: '' }, (rule: FaultRule) => {
          if (!isDeliveryFault(rule)) return false;
          const event = deliveryFaultOf(rule)?.event;
          return event === undefined || event === eventName;
        }),
      ),
    onAttempt: (delivery, attempt) => recordValidationAttempt(webhookState, delivery.id, attempt),
  });

  const onEvent = (
    name: ReferralEventName,
    referral: { id: string; updatedDateTime?: string | null },
  ) => {
    const registration = webhookState.registration;
    if (!registration?.WebhookEvents.includes(name)) return;
    dispatcher.publish(registration.WebhookUrl, name, {
      EventName: name,
      ResourceUri: `${origin}/engagements/v1/referrals/${referral.id}`,
      ResourceName: 'referral',
      AuditUri: null,
      // The time the change occurred (Partner Center docs), i.e. the referral's own
      // updatedDateTime to the 100 ns — not a second clock read, which could be later.
      ResourceChangeUtcDate: referral.updatedDateTime
        ? toWebhookDate(referral.updatedDateTime)
        : toDotNetUtc(clock.now()),
    });
  };
  const referrals = new ReferralService({
    clock,
    store,
    solutions,
    origin: () => origin,
    partner,
    onEvent,
  });

  const app: Express = express();
  app.disable('x-powered-by');
  // Express would add a weak ETag to every JSON answer; Partner Center declares none.
  app.set('etag', false);
  app.set('query parser', 'simple');
  // R1: Partner Center counts calls per day; count every Referrals API call, faulted ones too.
  app.use((req, _res, next) => {
    if (req.path.startsWith(REFERRALS_PATH)) {
      const day = utcDay(clock.now());
      dailyCalls.set(day, (dailyCalls.get(day) ?? 0) + 1);
    }
    next();
  });
  // Both APIs answer with a request id and echo the caller's correlation id (headers page).
  app.use((req, res, next) => {
    if (req.path.startsWith(REFERRALS_PATH) || req.path.startsWith(WEBHOOK_API_PATH)) {
      res.setHeader('MS-RequestId', req.get('ms-requestid') || newGuid());
      res.setHeader('MS-CorrelationId', req.get('ms-correlationid') || newGuid());
    }
    next();
  });
  app.use(plane.gate);
  addPartnerCenterControls(plane.router, {
    clock,
    tokens,
    referrals,
    store,
    solutions,
    dispatcher,
    roles,
  });
  app.use('/__emulator', plane.router);
  app.use(
    createTokenRouter({
      tokens,
      tenant: options.tenant,
      clientId: options.clientId ?? DEFAULTS.clientId,
      clientSecret: options.clientSecret ?? DEFAULTS.clientSecret,
      username: options.username ?? DEFAULTS.username,
      password: options.password ?? DEFAULTS.password,
    }),
  );
  app.get(CERTIFICATE_PATH, (_req, res) => {
    res.type('application/pkix-cert').send(certificate.der);
  });
  app.use(
    REFERRALS_PATH,
    requireToken({
      tokens,
      resource: REFERRALS_RESOURCE,
      userRequired: true,
      reject: (res, status, message) => {
        res.status(status).json(unauthorized(message).body);
      },
    }),
    createReferralsRouter({
      service: referrals,
      origin: () => origin,
      hasReferralsRole: () => roles.referralsAdmin,
      pageSize: options.pageSize,
      undocumentedConveniences: options.undocumentedConveniences,
    }),
  );
  app.use(
    WEBHOOK_API_PATH,
    requireToken({
      tokens,
      resource: WEBHOOK_RESOURCE,
      userRequired: false,
      reject: (res, status, message) => sendWebhookError(res, status, status, message),
    }),
    createWebhookRouter({
      state: webhookState,
      dispatcher,
      now: () => clock.now(),
      origin: () => origin,
      partnerId: partner.organizationId,
    }),
  );
  app.use((req, res) => {
    res.status(404).json({
      error: {
        code: 'notFound',
        message: `No route for ${req.method} ${req.path}.`,
        target: null,
        innerError: null,
      },
    });
  });

  const server = await listen(app, options.port ?? 0);
  origin = server.url;
  return {
    url: server.url,
    port: server.port,
    partnerId: partner.organizationId,
    stop: async () => {
      dispatcher.reset();
      await server.stop();
    },
  };
}
