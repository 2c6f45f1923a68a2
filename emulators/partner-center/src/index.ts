export { startPartnerCenterEmulator, DEFAULTS } from './emulator';
export type { PartnerCenterEmulatorOptions, RunningPartnerCenterEmulator } from './emulator';
export { REFERRALS_RESOURCE, WEBHOOK_RESOURCE } from './auth/resources';
export { CERTIFICATE_PATH } from './webhooks/signing-certificate';
export { REFERRAL_EVENTS, SUPPORTED_EVENTS } from './webhooks/registration';
export { DEFAULT_SOLUTIONS } from './referrals/solution-catalog';
export type { Solution } from './referrals/solution-catalog';
export type { Referral } from './referrals/referral-store';
export type { Delivery } from './webhooks/dispatcher';
