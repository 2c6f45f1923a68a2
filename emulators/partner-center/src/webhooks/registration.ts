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

/**
 * Every event Partner Center lets a partner register for (partner-center-webhook-events): the
 * emulator raises only the referral ones and `test-created`, but registering any is allowed.
 */
export const SUPPORTED_EVENTS = [
  'test-created',
  'subscription-active',
  'subscription-pending',
  'subscription-renewed',
  'subscription-updated',
  'threshold-exceeded',
  'usagerecords-updated',
  'dailyusage-updated',
  'invoice-ready',
  'customer-created',
  'credit-limit-updated',
  'create-new-commerce-migration',
  'create-new-commerce-migration-schedule',
  'granular-admin-relationship-created',
  'granular-admin-relationship-approved',
  'granular-admin-relationship-activated',
  'granular-admin-relationship-updated',
  'granular-admin-relationship-auto-extended',
  'granular-admin-relationship-terminated',
  'granular-admin-relationship-expired',
  'granular-admin-access-assignment-created',
  'granular-admin-access-assignment-activated',
  'granular-admin-access-assignment-updated',
  'granular-admin-access-assignment-deleted',
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
