import { AuthenticationError, TransientError } from '../../src/errors';
import { entraErrorCode, tokenRequestError } from '../../src/partner-center';

const context = {
  identity: 'Partner Center (App+User as bridge@contoso.com)',
  clientId: 'app-123',
  username: 'bridge@contoso.com',
};

/** Shaped like Entra's answers (reference-error-codes). */
function entraBody(error: string, code: number, text: string) {
  return {
    error,
    error_description: `AADSTS${code}: ${text}\r\nTrace ID: 0c7e…\r\nCorrelation ID: 1d2f…\r\nTimestamp: 2026-11-30 08:00:00Z`,
    error_codes: [code],
  };
}

describe('tokenRequestError', () => {
  it.each([
    [50126, 'invalid_grant', /PARTNER_CENTER_USERNAME and PARTNER_CENTER_PASSWORD/],
    [65001, 'invalid_grant', /Grant admin consent/],
    [700082, 'invalid_grant', /set PARTNER_CENTER_REFRESH_TOKEN/],
    [7000215, 'invalid_client', /PARTNER_CENTER_CLIENT_SECRET to its Value/],
    [700016, 'unauthorized_client', /PARTNER_CENTER_CLIENT_ID/],
    [90002, 'invalid_request', /PARTNER_CENTER_TENANT_ID/],
    [50076, 'invalid_grant', /multi-factor/],
  ])('R7: AADSTS%d becomes an AuthenticationError with the exact fix', (code, error, fix) => {
    const result = tokenRequestError(400, entraBody(error, code, 'text'), context);
    expect(result).toBeInstanceOf(AuthenticationError);
    expect(result.message).toContain(`AADSTS${code}`);
    expect(result.message).toMatch(fix);
  });

  it('R7: falls back to the error name, then to Entra’s first line, for codes it does not know', () => {
    const knownName = tokenRequestError(401, { error: 'invalid_client' }, context);
    expect(knownName.message).toMatch(/PARTNER_CENTER_CLIENT_SECRET/);
    const unknown = tokenRequestError(
      400,
      entraBody('invalid_grant', 123456, 'Something new.'),
      context,
    );
    expect(unknown).toBeInstanceOf(AuthenticationError);
    expect(unknown.message).toContain('AADSTS123456: Something new.');
    expect(unknown.message).not.toContain('Trace ID');
  });

  it('treats 5xx and 429 from Entra as transient, keeping Retry-After', () => {
    const busy = tokenRequestError(429, undefined, context, 7_000);
    expect(busy).toBeInstanceOf(TransientError);
    expect((busy as TransientError).retryAfterMs).toBe(7_000);
    expect(tokenRequestError(503, 'Service Unavailable', context)).toBeInstanceOf(TransientError);
  });

  it('reads the AADSTS code from error_codes or from the description', () => {
    expect(entraErrorCode({ error: 'x', error_codes: [65001] })).toBe(65001);
    expect(entraErrorCode({ error: 'x', error_description: 'AADSTS700082: expired' })).toBe(700082);
    expect(entraErrorCode('nope')).toBeUndefined();
  });
});
