/**
 * Partner Center Referrals API shapes (v1.0/engagements/referrals).
 *
 * Field names follow Microsoft's connector definition (microsoft/PowerPlatformConnectors,
 * connectors/PartnerCenterReferrals/apiDefinition.swagger.json) and the referral-resources page.
 * The response schema is deliberately lenient: unknown keys pass through (Microsoft adds fields
 * without notice), nearly everything is optional and nullable (the docs do not say which fields
 * are always present), and enum-like strings stay strings so a new status never breaks parsing.
 * The narrow value lists below are what the mapping code *writes*.
 */
import { z } from 'zod';

/** `inviteContext.assistanceRequestCode` ("How can Microsoft help"), from the connector enum. */
export const ASSISTANCE_REQUEST_CODES = [
  'Unknown',
  'GeneralOrOther',
  'CustomerTechnicalArchitecture',
  'ProofOfConceptOrDemo',
  'QuotesOrLicensing',
  'PostSalesCustomerSuccess',
  'WorkloadSpecificValueProposition',
] as const;
export type AssistanceRequestCode = (typeof ASSISTANCE_REQUEST_CODES)[number];

/** Documented referral statuses and substatuses (referral-resources). */
export const REFERRAL_STATUSES = ['None', 'New', 'Active', 'Closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_SUBSTATUSES = [
  'None',
  'Pending',
  'Received',
  'Accepted',
  'Won',
  'Lost',
  'Declined',
  'Expired',
] as const;
export type ReferralSubstatus = (typeof REFERRAL_SUBSTATUSES)[number];
/** Independent = one party (private/partner-led); Shared = two parties (co-sell with Microsoft). */
export const REFERRAL_TYPES = ['Independent', 'Shared'] as const;
export type ReferralType = (typeof REFERRAL_TYPES)[number];
export const REFERRAL_QUALIFICATIONS = [
  'None',
  'Direct',
  'MarketingQualified',
  'SalesQualified',
] as const;
export type ReferralQualification = (typeof REFERRAL_QUALIFICATIONS)[number];

/**
 * Caps on the text we send. Microsoft's API pages and connector definition publish no maximum
 * lengths, so these are conservative caps (the Partner Center UI's deal-name box and notes box are
 * short) that keep an overlong Salesforce value from turning into a 400 that loops forever.
 * Truncation is reported back to the seller as a warning, never silent.
 */
export const REFERRAL_LIMITS = {
  name: 100,
  notes: 1000,
  customerName: 200,
  addressLine: 200,
  city: 100,
  state: 100,
  postalCode: 20,
  memberName: 100,
  email: 254,
  phoneNumber: 40,
} as const;

const text = z.string().nullish();
const flag = z.boolean().nullish();

/** The API documents dealValue as a float, but its own PATCH sample sends "10000"; accept both. */
const amount = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^-?\d+(\.\d+)?$/)
      .transform(Number),
  ])
  .nullish();

export const LinkSchema = z.looseObject({ uri: text, method: text });

export const AddressSchema = z.looseObject({
  addressLine1: text,
  addressLine2: text,
  city: text,
  state: text,
  postalCode: text,
  /** ISO 3166-1 alpha-2; mandatory on create. */
  country: text,
  region: text,
});

export const MemberSchema = z.looseObject({
  firstName: text,
  lastName: text,
  email: text,
  phoneNumber: text,
  contactPreference: z.looseObject({ locale: text, disableNotifications: flag }).nullish(),
});
export type ReferralMember = z.infer<typeof MemberSchema>;

export const CustomerProfileSchema = z.looseObject({
  name: text,
  address: AddressSchema.nullish(),
  size: text,
  team: z.array(MemberSchema).nullish(),
  ids: z.array(z.looseObject({ id: text, profileType: text })).nullish(),
});

export const ConsentSchema = z.looseObject({
  /** Sic: Microsoft's field name has the doubled "To". */
  consentToToShareInfoWithOthers: flag,
  consentToContact: flag,
  consentToMicrosoftToContactSpecificPartners: flag,
  consentToShareReferralWithMicrosoftSellers: flag,
});

export const SolutionSchema = z.looseObject({
  id: text,
  name: text,
  /** None | Category | Name */
  type: text,
  publisherName: text,
  solutionType: text,
});
export type ReferralSolution = z.infer<typeof SolutionSchema>;

const TagSchema = z.looseObject({ id: text });

export const RequirementsSchema = z.looseObject({
  industries: z.array(TagSchema).nullish(),
  products: z.array(TagSchema).nullish(),
  services: z.array(TagSchema).nullish(),
  solutions: z.array(SolutionSchema).nullish(),
  additionalRequirements: z
    .looseObject({
      iot: z.looseObject({}).nullish(),
      attributes: z.array(z.looseObject({ id: text, type: text })).nullish(),
    })
    .nullish(),
});

export const DetailsSchema = z.looseObject({
  notes: text,
  dealValue: amount,
  /** ISO 4217 */
  currency: text,
  closingDateTime: text,
  customerAction: text,
  customerRequestedContact: flag,
  requirements: RequirementsSchema.nullish(),
});

export const InviteContextSchema = z.looseObject({
  notes: text,
  invitedBy: z.looseObject({ organizationId: text, organizationName: text }).nullish(),
  assistanceRequestCode: text,
});

export const TargetSchema = z.looseObject({ type: text, id: text });

/** A referral as GET/POST/list return it. */
export const ReferralSchema = z.looseObject({
  id: z.string().min(1),
  engagementId: text,
  name: text,
  /** Our CRM id (the Salesforce opportunity id) for referrals we created or linked. */
  externalReferenceId: text,
  organizationId: text,
  organizationName: text,
  createdDateTime: text,
  updatedDateTime: text,
  expirationDateTime: text,
  acceptedDateTime: text,
  closedDateTime: text,
  status: text,
  substatus: text,
  statusReason: text,
  type: text,
  qualification: text,
  referralSource: text,
  callToAction: text,
  /** Incoming | Outgoing */
  direction: text,
  salesStage: text,
  customerProfile: CustomerProfileSchema.nullish(),
  consent: ConsentSchema.nullish(),
  details: DetailsSchema.nullish(),
  team: z.array(MemberSchema).nullish(),
  inviteContext: InviteContextSchema.nullish(),
  target: z.array(TargetSchema).nullish(),
  /** Concurrency token; send it back in If-Match. */
  eTag: text,
  links: z
    .looseObject({ self: LinkSchema.nullish(), relatedReferrals: LinkSchema.nullish() })
    .nullish(),
  lastModifiedVia: text,
  campaignId: text,
  favorite: flag,
  /** Connector extra: Microsoft's own CRM (MSX) id once a Microsoft seller engages. */
  trackingInfo: z.looseObject({ microsoftMsxId: text }).nullish(),
});
export type Referral = z.infer<typeof ReferralSchema>;

/** One page of GET /referrals (OData). */
export const ReferralListPageSchema = z.looseObject({
  '@odata.context': text,
  '@odata.count': z.number().nullish(),
  '@odata.nextLink': text,
  value: z.array(ReferralSchema),
});
export type ReferralListPage = z.infer<typeof ReferralListPageSchema>;

const memberCreate = z.object({
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  phoneNumber: z.string().optional(),
});

/**
 * The body the bridge POSTs to create a referral. Strict (no extra keys) because it is what we
 * produce; required parts follow create-a-referral (type, customerProfile, consent, details).
 */
export const ReferralCreateSchema = z.object({
  name: z.string().min(1),
  externalReferenceId: z.string().min(1),
  type: z.enum(REFERRAL_TYPES),
  qualification: z.enum(REFERRAL_QUALIFICATIONS),
  customerProfile: z.object({
    name: z.string().min(1),
    address: z.object({
      addressLine1: z.string().optional(),
      city: z.string().optional(),
      state: z.string().optional(),
      postalCode: z.string().optional(),
      country: z.string().length(2),
    }),
    team: z.array(memberCreate),
  }),
  consent: z.object({
    consentToToShareInfoWithOthers: z.boolean(),
    consentToContact: z.boolean(),
    consentToMicrosoftToContactSpecificPartners: z.boolean(),
    consentToShareReferralWithMicrosoftSellers: z.boolean(),
  }),
  details: z.object({
    notes: z.string().optional(),
    dealValue: z.number(),
    currency: z.string().length(3),
    closingDateTime: z.string(),
    requirements: z.object({
      solutions: z.array(
        z.object({ id: z.string(), name: z.string().optional(), type: z.literal('Name') }),
      ),
      additionalRequirements: z.object({
        attributes: z.array(z.object({ id: z.string(), type: z.string() })),
      }),
    }),
  }),
  team: z.array(memberCreate),
  inviteContext: z
    .object({
      notes: z.string().optional(),
      assistanceRequestCode: z.enum(ASSISTANCE_REQUEST_CODES),
    })
    .optional(),
  target: z.array(z.object({ type: z.string(), id: z.string() })),
});
export type ReferralCreate = z.infer<typeof ReferralCreateSchema>;

/** RFC 6902 operation; the Referrals API accepts only `replace` and `add`. */
export const JsonPatchOperationSchema = z.object({
  op: z.enum(['replace', 'add']),
  path: z.string().startsWith('/'),
  value: z.unknown(),
});
export type JsonPatchOperation = { op: 'replace' | 'add'; path: string; value: unknown };

/** Webhook notification body (partner-center-webhook-events). */
export const WebhookEventSchema = z.looseObject({
  EventName: z.string().min(1),
  ResourceUri: z.string().min(1),
  ResourceName: text,
  AuditUri: text,
  ResourceChangeUtcDate: text,
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** The four referral events the bridge registers for (R8). */
export const REFERRAL_WEBHOOK_EVENTS = [
  'referral-created',
  'referral-updated',
  'related-referral-created',
  'related-referral-updated',
] as const;
