/**
 * The partner's webhook registration (partner-center-webhooks; Webhooks.json model):
 * one URL for a set of events; POST creates, PUT replaces, GET reads.
 */
export interface Registration {
  SubscriberId: string;
  WebhookUrl: string;
  WebhookEvents: string[];
  SignatureTokenToMsSignatureHeader: boolean;
  LastModifiedTimestamp: string;
}

/** Events the emulator can raise plus others Partner Center lists (partner-center-webhook-events). */
export const SUPPORTED_EVENTS = [
  'test-created',
  'subscription-updated',
  'threshold-exceeded',
  'usagerecords-updated',
  'customer-created',
  'invoice-ready',
  'referral-created',
  'referral-updated',
  'related-referral-created',
  'related-referral-updated',
] as const;

export const REFERRAL_EVENTS = [
  'referral-created',
  'referral-updated',
  'related-referral-created',
  'related-referral-updated',
] as const;
