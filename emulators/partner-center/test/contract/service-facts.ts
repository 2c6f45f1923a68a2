import { REFERRAL_EVENTS } from '../../src';
import { waitFor, type Json } from '../helpers';
import {
  REFERRALS,
  referrals,
  SEVEN_DIGITS,
  webhookApi,
  type ContractContext,
  type DocumentedFact,
} from './context';

async function register(c: ContractContext, events: string[]): Promise<Response> {
  return webhookApi(c, 'POST', '/registration', {
    WebhookUrl: c.receiver.url,
    WebhookEvents: events,
  });
}

/** Headers page, partner-center-webhooks, partner-center-webhook-events, referral auth. */
export const SERVICE_FACTS: DocumentedFact[] = [
  {
    id: 'headers.request-id',
    fact: 'every Referrals API answer carries MS-RequestId, errors included',
    source: 'HDR',
    async check(c) {
      const ok = await referrals.list(c, '');
      const missing = await referrals.get(c, '00000000-0000-0000-0000-000000000000');
      const anonymous = await c.pc.api('GET', REFERRALS);
      for (const res of [ok, missing, anonymous]) {
        expect(res.headers.get('ms-requestid')).toEqual(expect.any(String));
      }
      expect(anonymous.status).toBe(401);
    },
  },
  {
    id: 'headers.correlation-id',
    fact: 'the caller’s MS-CorrelationId comes back on the Referrals API and on the webhook API',
    source: 'HDR; WH',
    async check(c) {
      const headers = { 'MS-CorrelationId': '0f8c2d1e-5a4b-4c3d-9e2f-1a2b3c4d5e6f' };
      const fromReferrals = await c.pc.api('GET', REFERRALS, { token: c.referralsToken, headers });
      const fromWebhooks = await c.pc.api('GET', '/webhooks/v1/registration/events', {
        token: c.webhookToken,
        headers,
      });
      for (const res of [fromReferrals, fromWebhooks]) {
        expect(res.headers.get('ms-correlationid')).toBe(headers['MS-CorrelationId']);
        expect(res.headers.get('ms-requestid')).toEqual(expect.any(String));
      }
    },
  },
  {
    id: 'auth.app-plus-user',
    fact: 'the Referrals API accepts App+User tokens only; an app-only token is refused with 401',
    source: 'AUTH; CREATE/LIST/PATCH',
    async check(c) {
      const appOnly = await c.pc.appToken('https://api.partner.microsoft.com');
      expect((await c.pc.api('GET', REFERRALS, { token: appOnly })).status).toBe(401);
    },
  },
  {
    id: 'webhooks.events',
    fact: 'the registrable events are more than the four referral events and test-created, and any of them may be registered',
    source: 'WHE; WH (GET /registration/events)',
    async check(c) {
      const events = (await (
        await webhookApi(c, 'GET', '/registration/events')
      ).json()) as string[];
      expect(events).toEqual(expect.arrayContaining(['test-created', ...REFERRAL_EVENTS]));
      const others = events.filter((e) => e !== 'test-created' && !e.includes('referral'));
      expect(others.length).toBeGreaterThan(0);
      const res = await register(c, ['referral-updated', 'subscription-updated']);
      expect(res.status).toBe(200);
      expect(((await res.json()) as Json).WebhookEvents).toEqual([
        'referral-updated',
        'subscription-updated',
      ]);
    },
  },
  {
    id: 'webhooks.event-body',
    fact: 'a referral event names EventName, ResourceUri (ending in the referral id), ResourceName "referral", AuditUri and ResourceChangeUtcDate with seven fractional digits',
    source: 'WHE',
    async check(c) {
      expect((await register(c, ['referral-created'])).status).toBe(200);
      const made = await referrals.created(c);
      const event = await c.receiver.first('referral-created');
      expect(event.signatureValid).toBe(true);
      expect(event.body).toEqual({
        EventName: 'referral-created',
        ResourceUri: expect.stringMatching(new RegExp(`/referrals/${String(made.id)}$`)),
        ResourceName: 'referral',
        AuditUri: null,
        ResourceChangeUtcDate: expect.stringMatching(SEVEN_DIGITS),
      });
    },
  },
  {
    id: 'webhooks.validation-status',
    fact: 'a validation event’s status lists results whose responseCode is a string such as "OK" and whose systemError is a boolean',
    source: 'WH (validationEvents); WHE (test-created)',
    async check(c) {
      expect((await register(c, ['test-created'])).status).toBe(200);
      const sent = (await (
        await webhookApi(c, 'POST', '/registration/validationEvents')
      ).json()) as {
        correlationId: string;
      };
      const status = await waitFor(async () => {
        const doc = (await (
          await webhookApi(c, 'GET', `/registration/validationEvents/${sent.correlationId}`)
        ).json()) as Json;
        return doc.status === 'completed' ? doc : undefined;
      });
      expect(status.results).toEqual([
        expect.objectContaining({ responseCode: 'OK', systemError: false }),
      ]);
    },
  },
];
