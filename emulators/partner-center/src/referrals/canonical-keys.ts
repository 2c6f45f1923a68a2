/**
 * Property names of the referral contract (PowerPlatformConnectors PartnerCenterReferrals
 * apiDefinition.swagger.json plus referral-resources). Partner Center binds JSON
 * case-insensitively (its own create sample sends `ConsentToContact`), so incoming keys are
 * mapped onto these spellings before anything else looks at them.
 */
// prettier-ignore
const KNOWN_KEYS = [
  'id', 'engagementId', 'name', 'externalReferenceId', 'organizationId', 'organizationName',
  'createdDateTime', 'updatedDateTime', 'expirationDateTime', 'acceptedDateTime', 'closedDateTime',
  'status', 'substatus', 'statusReason', 'type', 'qualification', 'referralSource', 'callToAction',
  'direction', 'customerProfile', 'consent', 'details', 'team', 'inviteContext', 'target', 'eTag',
  'links', 'relatedReferrals', 'self', 'uri', 'method', 'salesStage', 'trackingInfo',
  'microsoftMsxId', 'mpnId', 'lastModifiedVia', 'campaignId', 'favorite', 'lastRunId',
  'address', 'addressLine1', 'addressLine2', 'city', 'state', 'postalCode', 'country', 'region',
  'size', 'ids', 'profileType', 'firstName', 'lastName', 'phoneNumber', 'email',
  'contactPreference', 'locale', 'disableNotifications',
  'consentToToShareInfoWithOthers', 'consentToContact', 'consentToMicrosoftToContactSpecificPartners',
  'consentToShareReferralWithMicrosoftSellers',
  'notes', 'dealValue', 'currency', 'closingDateTime', 'customerAction', 'customerRequestedContact',
  'requirements', 'industries', 'products', 'services', 'solutions', 'publisherName', 'solutionType',
  'additionalRequirements', 'iot', 'attributes', 'assistanceRequestCode', 'invitedBy',
  'registrations', 'registrationDateTime', 'registrationStatus', 'contract', 'solutionDetails',
  'statusHistory', 'referralProgram', 'offers', 'startDateTime', 'endDateTime', 'signDateTime',
  'term', 'value', 'isDeployedOnAzure', 'primaryDeploymentOn', 'pricingModel',
  'marketplaceTransactionDetails', 'isMarketplaceTransacted', 'marketplaceTransactionDateTime',
];

const BY_LOWER = new Map(KNOWN_KEYS.map((k) => [k.toLowerCase(), k]));

export function canonicalizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalizeKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[BY_LOWER.get(key.toLowerCase()) ?? key] = canonicalizeKeys(inner);
  }
  return out;
}

/** One property name (e.g. a JSON Patch path segment) in the contract's spelling. */
export function canonicalKey(key: string): string {
  return BY_LOWER.get(key.toLowerCase()) ?? key;
}
