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

  it('falls back to a generic message rather than an empty list', () => {
    expect(reduceErrors(undefined)).toEqual(['Unknown error']);
    expect(reduceErrors({ body: {} })).toEqual(['Unknown error']);
  });
});
