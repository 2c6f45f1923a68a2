import {
  AccessDeniedError,
  AuthenticationError,
  PermanentError,
  PreconditionFailedError,
  TransientError,
} from '../../src/errors';
import { errorFromResponse, odataString, readServiceError } from '../../src/partner-center';

const op = { api: 'referrals' as const, operation: 'update referral 42' };

describe('errorFromResponse', () => {
  it('R2: a 403 names the Referrals admin role the account is missing', () => {
    const error = errorFromResponse({
      ...op,
      status: 403,
      body: { error: { code: 'forbidden', message: 'Access denied' } },
    });
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as AccessDeniedError).missing).toBe('Referrals admin');
    expect(error.message).toMatch(/Referrals admin role/);
    expect(error.message).toContain('forbidden: Access denied');
  });

  it('R15: a 401 is an AuthenticationError that says what to grant', () => {
    const error = errorFromResponse({ ...op, status: 401, body: undefined });
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/Referrals admin/);
  });

  it('maps the documented 412 body to PreconditionFailedError', () => {
    const body = {
      error: {
        code: 'preconditionFailed',
        message:
          'A precondition provided in the request (such as an if-match header) does not match',
        target: 'ETag',
        innerError: { code: '99918', message: 'Etag value did not Match', details: null },
      },
    };
    const error = errorFromResponse({ ...op, status: 412, body });
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(error.message).toContain('preconditionFailed');
  });

  it.each([429, 500, 502, 503, 504])('HTTP %d is transient and keeps Retry-After', (status) => {
    const error = errorFromResponse({ ...op, status, body: undefined, retryAfterMs: 3_000 });
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterMs).toBe(3_000);
  });

  it.each([400, 404, 409])(
    'HTTP %d is permanent with the service’s own message and code',
    (status) => {
      const error = errorFromResponse({
        ...op,
        status,
        body: { code: 600012, description: 'Country is invalid' },
      });
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as PermanentError).code).toBe('600012');
      expect(error.message).toContain('Country is invalid');
    },
  );

  it('reads both body shapes and plain text', () => {
    expect(readServiceError({ error: { code: 'a', message: 'b' } })).toEqual({
      code: 'a',
      message: 'b',
    });
    expect(readServiceError({ code: 1, description: 'd' })).toEqual({ code: '1', message: 'd' });
    expect(readServiceError('Bad Gateway')).toEqual({ message: 'Bad Gateway' });
    expect(readServiceError(undefined)).toEqual({});
  });
});

describe('odataString', () => {
  it('doubles single quotes so an id cannot break out of the literal', () => {
    expect(odataString("006' or 1 eq 1 or id eq '")).toBe("'006'' or 1 eq 1 or id eq '''");
    expect(odataString('006Aa000001')).toBe("'006Aa000001'");
  });
});
