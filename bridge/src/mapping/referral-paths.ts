/**
 * Referral fields a custom rule may use (Microsoft's referral resource, docs/FIELD-MAPPING.md):
 * type, the values Partner Center accepts when it documents an enum, and whether the partner
 * may write it (the rest are set by Partner Center and can only flow inbound).
 */
export interface ReferralPathInfo {
  type: 'string' | 'number' | 'date';
  writable: boolean;
  enum?: readonly string[];
  description: string;
}

export const CUSTOM_REFERRAL_PATHS: Readonly<Record<string, ReferralPathInfo>> = Object.freeze({
  '/customerProfile/size': {
    type: 'string',
    writable: true,
    description: 'customer size, e.g. 10to50employees',
  },
  '/customerProfile/address/region': {
    type: 'string',
    writable: true,
    description: 'customer region',
  },
  '/qualification': {
    type: 'string',
    writable: true,
    enum: ['None', 'Direct', 'MarketingQualified', 'SalesQualified'],
    description: 'referral qualification',
  },
  '/statusReason': {
    type: 'string',
    writable: false,
    description: 'why Partner Center closed the referral',
  },
  '/inviteContext/notes': {
    type: 'string',
    writable: false,
    description: "the inviting party's notes",
  },
  '/organizationName': {
    type: 'string',
    writable: false,
    description: 'the organization that shared the referral',
  },
  '/expirationDateTime': {
    type: 'date',
    writable: false,
    description: 'when an unanswered referral expires',
  },
  '/acceptedDateTime': {
    type: 'date',
    writable: false,
    description: 'when the referral was accepted',
  },
});
