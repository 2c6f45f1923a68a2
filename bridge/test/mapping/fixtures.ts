import type { OpportunitySnapshot, Referral, ReferralCreate } from '../../src/schemas';
import { documentedReferralSample } from '../../../test/support/referral-samples';

/** A valid, syncable co-sell opportunity; override what a test is about. */
export function snapshot(overrides: Partial<OpportunitySnapshot> = {}): OpportunitySnapshot {
  return {
    id: '006000000000001AAA',
    name: 'Contoso — Azure migration',
    amount: 50000,
    closeDate: '2026-03-31',
    stageName: 'Prospecting',
    isClosed: false,
    isWon: false,
    description: 'Lift and shift of 40 VMs',
    currencyIsoCode: null,
    referralCurrency: 'USD',
    orgCurrency: 'USD',
    helpNeeded: null,
    visibility: 'Private',
    syncEnabled: true,
    decision: null,
    declineReason: null,
    referralId: null,
    engagementId: null,
    partnerCenterStatus: null,
    partnerCenterSubstatus: null,
    microsoftCrmId: null,
    syncStatus: 'Not Synced',
    lastModifiedDate: '2026-01-10T09:00:00.000Z',
    systemModstamp: '2026-01-10T09:00:00.000Z',
    ownerId: '005000000000001AAA',
    owner: { id: '005000000000001AAA', email: 'ada.seller@partner.example', name: 'Ada Seller' },
    account: {
      id: '001000000000001AAA',
      name: 'Contoso Ltd',
      country: 'SE',
      street: 'Drottninggatan 1',
      city: 'Stockholm',
      state: null,
      postalCode: '111 51',
    },
    customerContact: {
      id: '003000000000001AAA',
      firstName: 'Chris',
      lastName: 'Customer',
      email: 'chris@contoso.example',
      phone: '+46 8 123 456',
    },
    solutions: [{ solutionId: 'SOL-15974-MQF', name: 'Contoso Migrate' }],
    ...overrides,
  };
}

/**
 * The create-a-referral body `toReferralCreate(snapshot())` must produce, field by field as
 * Microsoft documents it. `referral()` is built on it, so what we sent and what Partner Center
 * answers cannot drift apart.
 */
export function createdBody(): ReferralCreate {
  return {
    name: 'Contoso — Azure migration',
    externalReferenceId: '006000000000001AAA',
    type: 'Independent',
    qualification: 'SalesQualified',
    customerProfile: {
      name: 'Contoso Ltd',
      address: {
        addressLine1: 'Drottninggatan 1',
        city: 'Stockholm',
        postalCode: '111 51',
        country: 'SE',
      },
      team: [
        {
          firstName: 'Chris',
          lastName: 'Customer',
          email: 'chris@contoso.example',
          phoneNumber: '+46 8 123 456',
        },
      ],
    },
    // A Private deal consents exactly as Microsoft's documented Private-deal sample does.
    consent: documentedReferralSample().consent,
    details: {
      notes: 'Lift and shift of 40 VMs',
      dealValue: 50000,
      currency: 'USD',
      closingDateTime: '2026-03-31T00:00:00Z',
      requirements: {
        solutions: [{ id: 'SOL-15974-MQF', name: 'Contoso Migrate', type: 'Name' }],
        additionalRequirements: {
          attributes: [{ id: 'HaveNotDecided', type: 'CustomerMarketplaceIntent' }],
        },
      },
    },
    team: [{ firstName: 'Ada', lastName: 'Seller', email: 'ada.seller@partner.example' }],
    target: [],
  };
}

/**
 * A referral as Partner Center returns it after creating `snapshot()`: what we sent (without the
 * empty `target`) plus the fields the server owns, and the solution as Partner Center describes it.
 */
export function referral(overrides: Partial<Referral> = {}): Referral {
  const {
    name,
    externalReferenceId,
    type,
    qualification,
    customerProfile,
    consent,
    details,
    team,
  } = createdBody();
  return {
    id: 'ref-0001',
    engagementId: 'eng-0001',
    name,
    externalReferenceId,
    status: 'Active',
    substatus: 'Accepted',
    type,
    qualification,
    createdDateTime: '2026-01-10T09:00:05.1234567Z',
    updatedDateTime: '2026-01-10T09:00:05.1234567Z',
    eTag: '"00006d10-0000-0000-0000-5c70aa630000"',
    customerProfile,
    consent,
    details: {
      ...details,
      requirements: {
        ...details.requirements,
        solutions: details.requirements.solutions.map((solution) => ({
          ...solution,
          publisherName: 'Partner',
          solutionType: '3P',
        })),
      },
    },
    team,
    ...overrides,
  };
}
