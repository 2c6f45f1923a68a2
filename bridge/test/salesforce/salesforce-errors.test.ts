import {
  AccessDeniedError,
  AuthenticationError,
  describeError,
  PermanentError,
  TransientError,
} from '../../src/errors';
import { recordErrorToBridgeError, toBridgeError } from '../../src/salesforce/salesforce-errors';

/** The shape jsforce's HttpApiError has: name = errorCode, data = the error body. */
function apiError(errorCode: string, message: string, fields: string[] = []) {
  return Object.assign(new Error(message), {
    name: errorCode,
    errorCode,
    data: { errorCode, message, fields },
  });
}

describe('toBridgeError', () => {
  it('R2: INSUFFICIENT_ACCESS names the integration permission set', () => {
    const error = toBridgeError(
      apiError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id'),
      'write back',
    );
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as AccessDeniedError).missing).toContain('Co_Sell_Bridge_Integration');
    expect(error.message).toContain('Co_Sell_Bridge_Integration');
  });

  it('R15: a co-sell column the user cannot see is access denied, naming the field', () => {
    const message =
      "\nSELECT Id, Partner_Center_Referral_Id__c FROM Opportunity\n           ^\nERROR at Row:1:Column:12\nNo such column 'Partner_Center_Referral_Id__c' on entity 'Opportunity'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.";
    const error = toBridgeError(apiError('INVALID_FIELD', message), 'read opportunities');
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as AccessDeniedError).missing).toContain(
      'Opportunity.Partner_Center_Referral_Id__c',
    );
  });

  it('R2: the package custom metadata type or platform event unseen is access denied; the query echo is dropped', () => {
    const message =
      "\nSELECT DeveloperName FROM Co_Sell_Field_Map__mdt\n^\nERROR at Row:1:Column:1\nsObject type 'Co_Sell_Field_Map__mdt' is not supported.";
    const error = toBridgeError(apiError('INVALID_TYPE', message), 'read the field mapping');
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as AccessDeniedError).missing).toContain('Co_Sell_Field_Map__mdt');
    // Neither the message nor the cause that messages append carries the echo.
    expect(describeError(error)).not.toMatch(/\n|ERROR at Row/);
    expect(describeError(error)).toContain(
      "(sObject type 'Co_Sell_Field_Map__mdt' is not supported.)",
    );
    expect(
      toBridgeError(
        apiError('INVALID_TYPE', "sObject type 'Co_Sell_Sync_Update__e' is not supported."),
        'publish',
      ),
    ).toBeInstanceOf(AccessDeniedError);
    // A standard column's refusal keeps only Salesforce's reason, on one line.
    const standard = toBridgeError(
      apiError(
        'INVALID_FIELD',
        "\nSELECT Id, Region FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Region' on entity 'Account'.",
      ),
      'read accounts',
    );
    expect(describeError(standard)).toBe(
      "Salesforce rejected read accounts: No such column 'Region' on entity 'Account'.",
    );
  });

  it('a missing standard column (CurrencyIsoCode in a single-currency org) is a permanent error, not access', () => {
    const error = toBridgeError(
      apiError('INVALID_FIELD', "No such column 'CurrencyIsoCode' on entity 'Opportunity'."),
      'read',
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).not.toBeInstanceOf(AccessDeniedError);
  });

  it('INVALID_FIELD_FOR_INSERT_UPDATE is access denied with the field', () => {
    const error = toBridgeError(
      apiError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        'Unable to create/update fields: Partner_Center_Status__c.',
        ['Partner_Center_Status__c'],
      ),
      'write back',
    );
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as AccessDeniedError).missing).toContain('Partner_Center_Status__c');
  });

  it.each([
    ['UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record'],
    ['ERROR_HTTP_503', 'Service Unavailable'],
    ['ERROR_HTTP_500', 'boom'],
  ])('%s is transient', (code, message) => {
    expect(toBridgeError(apiError(code, message), 'op')).toBeInstanceOf(TransientError);
  });

  it('REQUEST_LIMIT_EXCEEDED waits longer for the daily limit than for a concurrency limit', () => {
    const daily = toBridgeError(
      apiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
      'op',
    ) as TransientError;
    const concurrent = toBridgeError(
      apiError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'),
      'op',
    ) as TransientError;
    expect(daily).toBeInstanceOf(TransientError);
    expect(daily.retryAfterMs).toBeGreaterThan(concurrent.retryAfterMs ?? Infinity);
  });

  it('network failures (undici "fetch failed" with ECONNREFUSED cause) are transient', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(toBridgeError(error, 'op')).toBeInstanceOf(TransientError);
  });

  it('FIELD_CUSTOM_VALIDATION_EXCEPTION is permanent and keeps the rule message and code', () => {
    const error = toBridgeError(
      apiError('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Add a co-sell solution', []),
      'switch sync on',
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(error.message).toContain('Add a co-sell solution');
  });

  it('R7: invalid_client tells the operator which variables to fix', () => {
    const oauth = Object.assign(new Error('invalid client credentials'), {
      name: 'invalid_client',
    });
    const error = toBridgeError(oauth, 'sign-in');
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('SALESFORCE_CLIENT_ID');
    expect(error.message).toContain('SALESFORCE_CLIENT_SECRET');
  });

  it('R7: invalid_grant "user hasn\'t approved this consumer" says to pre-authorize the app', () => {
    const oauth = Object.assign(new Error("user hasn't approved this consumer"), {
      name: 'invalid_grant',
    });
    const error = toBridgeError(oauth, 'sign-in');
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/pre-authorize/i);
  });

  it('keeps the original error as cause and passes bridge errors through', () => {
    const original = apiError('UNABLE_TO_LOCK_ROW', 'locked');
    expect(toBridgeError(original, 'op').cause).toBe(original);
    const already = new TransientError('x', 'salesforce');
    expect(toBridgeError(already, 'op')).toBe(already);
  });
});

describe('recordErrorToBridgeError', () => {
  it('maps composite per-record errors, which use statusCode rather than errorCode', () => {
    const error = recordErrorToBridgeError(
      [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [CloseDate]',
          fields: ['CloseDate'],
        },
      ],
      'write back',
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('REQUIRED_FIELD_MISSING');
    expect(
      recordErrorToBridgeError([{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'locked' }], 'op'),
    ).toBeInstanceOf(TransientError);
  });
});
