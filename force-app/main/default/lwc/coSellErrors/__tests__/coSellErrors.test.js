import { reduceErrors } from 'c/coSellErrors';

describe('c-co-sell-errors', () => {
  it('R11: reads validation-rule failures from a UI API updateRecord error', () => {
    const error = {
      body: {
        message: 'An error occurred while trying to update the record.',
        output: {
          errors: [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Add a solution.' }],
          fieldErrors: {
            Amount: [
              { errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Enter an Amount.' },
            ],
          },
        },
      },
    };
    expect(reduceErrors(error)).toEqual(['Add a solution.', 'Enter an Amount.']);
  });

  it('reads wire errors with a body message or an array body', () => {
    expect(reduceErrors({ body: { message: 'No access' } })).toEqual(['No access']);
    expect(
      reduceErrors({ body: [{ message: 'first' }, { message: 'second' }, { message: 'first' }] }),
    ).toEqual(['first', 'second']);
  });

  it('reads GraphQL errors and plain JS errors', () => {
    expect(reduceErrors([{ message: 'Field not found' }])).toEqual(['Field not found']);
    expect(reduceErrors(new Error('boom'))).toEqual(['boom']);
    expect(reduceErrors('plain')).toEqual(['plain']);
  });

  it('reads record-level DML errors: pageErrors, then fieldErrors by field', () => {
    const error = {
      body: {
        message: 'Update failed',
        pageErrors: [{ statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'No edit access.' }],
        fieldErrors: {
          Referral_Currency__c: [
            { statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Bad value: XYZ.' },
          ],
          CloseDate: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Enter a Close Date.' }],
        },
        duplicateResults: [],
      },
    };
    expect(reduceErrors(error)).toEqual([
      'No edit access.',
      'Bad value: XYZ.',
      'Enter a Close Date.',
    ]);
  });

  it('reads field errors alone, and falls back to body.message when both sets are empty', () => {
    expect(
      reduceErrors({
        body: { pageErrors: [], fieldErrors: { Amount: [{ message: 'Too big.' }] } },
      }),
    ).toEqual(['Too big.']);
    expect(
      reduceErrors({ body: { message: 'Server busy', pageErrors: [], fieldErrors: {} } }),
    ).toEqual(['Server busy']);
  });

  it('falls back to a generic message rather than an empty list', () => {
    expect(reduceErrors(undefined)).toEqual(['Unknown error']);
    // The fallback is the CoSell_Unknown_Error custom label, so it translates.
    expect(reduceErrors({ body: {} })).toEqual(['Unknown error']);
  });
});
