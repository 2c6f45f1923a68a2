/**
 * Microsoft's Private-deal example from the Partner Center "Create a referral" documentation, as
 * plain data. It imports nothing, so the tests of both packages can share it without either
 * package depending on the other: the Partner Center emulator's (emulators/partner-center/test),
 * the bridge's (bridge/test) and the cross-process suites. The documentation capitalises three
 * consent keys; they are camel-cased here as the API's schema and every response spell them.
 *
 * A function, not a constant: every caller gets its own copy to change.
 */
export function documentedReferralSample() {
  return {
    name: 'Contoso Test Deal - [Private]',
    qualification: 'SalesQualified',
    type: 'Independent',
    customerProfile: {
      name: 'Contoso Customer Inc',
      address: {
        addressLine1: 'One Microsoft Way',
        city: 'Redmond',
        state: 'WA',
        postalCode: '98052',
        country: 'US',
      },
      size: '10to50employees',
    },
    consent: {
      consentToToShareInfoWithOthers: true,
      consentToContact: true,
      consentToMicrosoftToContactSpecificPartners: true,
      consentToShareReferralWithMicrosoftSellers: false,
    },
    details: {
      dealValue: 50000,
      currency: 'USD',
      closingDateTime: '2024-11-14T00:00:00Z',
      requirements: {
        solutions: [
          { type: 'Name', id: 'SOL-15974-MQF', publisherName: 'Contoso_Test', solutionType: '3P' },
        ],
        additionalRequirements: {
          iot: {},
          attributes: [{ id: 'HaveNotDecided', type: 'CustomerMarketplaceIntent' }],
        },
      },
    },
    target: [],
  };
}
