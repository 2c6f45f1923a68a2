import {
  JsonPatchOperationSchema,
  OpportunitySnapshotSchema,
  ReferralListPageSchema,
  ReferralSchema,
  WebhookEventSchema,
} from '../../src/schemas';
import { documentedReferralSample } from '../../../test/support/referral-samples';

// Shapes copied from Microsoft's documented samples (create-a-referral, get-a-list-of-referrals).
const documentedReferral = {
  id: 'b1d5a5e6-6f5c-4c1d-9f1b-3a2e7c9d0e11',
  engagementId: '0e7a5a11-1111-4f0a-9b8c-8d2f4b0c0a01',
  name: 'Contoso Test Deal - [Private]',
  externalReferenceId: '006000000000001AAA',
  status: 'Active',
  substatus: 'Accepted',
  type: 'Independent',
  qualification: 'SalesQualified',
  eTag: '"00006d10-0000-0000-0000-5c70aa630000"',
  customerProfile: documentedReferralSample().customerProfile,
  consent: { consentToToShareInfoWithOthers: true, consentToContact: true },
  details: {
    dealValue: '10000',
    currency: 'USD',
    closingDateTime: '2024-11-14T00:00:00Z',
    requirements: {
      solutions: [{ type: 'Name', id: 'SOL-15974-MQF', publisherName: 'Contoso_Test' }],
    },
  },
  links: {
    self: { uri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/x', method: 'GET' },
  },
  somethingMicrosoftAddedLater: { nested: true },
};

describe('ReferralSchema', () => {
  it('parses the documented referral shape and keeps unknown keys', () => {
    const parsed = ReferralSchema.parse(documentedReferral);
    expect(parsed.details?.dealValue).toBe(10000); // the docs' PATCH sample sends a string
    expect(parsed.customerProfile?.address?.country).toBe('US');
    expect((parsed as Record<string, unknown>).somethingMicrosoftAddedLater).toEqual({
      nested: true,
    });
  });

  it('accepts nulls where the API may return them', () => {
    const parsed = ReferralSchema.parse({
      id: 'r1',
      details: null,
      team: null,
      customerProfile: { name: null },
    });
    expect(parsed.details).toBeNull();
  });

  it('rejects a referral without an id and a non-numeric deal value', () => {
    expect(ReferralSchema.safeParse({ name: 'x' }).success).toBe(false);
    expect(ReferralSchema.safeParse({ id: 'r', details: { dealValue: 'lots' } }).success).toBe(
      false,
    );
  });

  it('parses an OData list page with a nextLink', () => {
    const page = ReferralListPageSchema.parse({
      '@odata.context': 'x/$metadata#Referrals',
      '@odata.count': 1,
      value: [documentedReferral],
      '@odata.nextLink':
        'https://api.partner.microsoft.com/v1.0/engagements/referrals?$skiptoken=abc',
    });
    expect(page.value).toHaveLength(1);
  });
});

describe('other boundary schemas', () => {
  it('allows only replace/add JSON Patch operations', () => {
    expect(
      JsonPatchOperationSchema.safeParse({ op: 'replace', path: '/status', value: 'Closed' })
        .success,
    ).toBe(true);
    expect(JsonPatchOperationSchema.safeParse({ op: 'remove', path: '/status' }).success).toBe(
      false,
    );
  });

  it('parses the documented webhook body', () => {
    const event = WebhookEventSchema.parse({
      EventName: 'referral-updated',
      ResourceUri: 'https://api.partnercenter.microsoft.com/engagements/v1/referrals/abc',
      ResourceName: 'referral',
      AuditUri: null,
      ResourceChangeUtcDate: '2018-02-17T00:05:39.5485487+00:00',
    });
    expect(event.EventName).toBe('referral-updated');
  });

  it('rejects a snapshot whose close date is not YYYY-MM-DD', () => {
    const result = OpportunitySnapshotSchema.safeParse({ id: 'x', closeDate: '14/11/2024' });
    expect(result.success).toBe(false);
  });
});
