import { generateKeyPairSync, createVerify } from 'node:crypto';
import { createJwtAssertion, jwtAudienceFor } from '../../src/salesforce/jwt-assertion';

describe('createJwtAssertion', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('signs iss/sub/aud/exp with RS256 so the public key verifies it', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const jwt = createJwtAssertion({
      clientId: 'consumer-key',
      username: 'bridge@example.com',
      audience: 'https://login.salesforce.com',
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      now,
    });
    const [header, claims, signature] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'JWT',
    });
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toEqual({
      iss: 'consumer-key',
      sub: 'bridge@example.com',
      aud: 'https://login.salesforce.com',
      exp: now.getTime() / 1000 + 180,
    });
    const verified = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(publicKey, Buffer.from(signature, 'base64url'));
    expect(verified).toBe(true);
  });
});

describe('jwtAudienceFor', () => {
  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com/', 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
  ])('%s → %s', (loginUrl, audience) => {
    expect(jwtAudienceFor(loginUrl)).toBe(audience);
  });
});
