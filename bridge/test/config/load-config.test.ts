import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configurationReference,
  findUnknownVariables,
  VARIABLE_NAMES,
  loadConfig,
  redactedConfig,
  secretValues,
} from '../../src/config';
import { ConfigError } from '../../src/errors';

type Env = Record<string, string | undefined>;

const SECRETS = {
  SALESFORCE_CLIENT_SECRET: 'sf-secret-Zq81',
  PARTNER_CENTER_CLIENT_SECRET: 'pc-secret-Kx42',
  PARTNER_CENTER_PASSWORD: 'pc-password-Wm77',
};

const emulatorEnv = (): Env => ({
  BRIDGE_ENVIRONMENT: 'emulator',
  SALESFORCE_LOGIN_URL: 'http://127.0.0.1:4010',
  SALESFORCE_CLIENT_ID: 'emulator-client',
  SALESFORCE_CLIENT_SECRET: SECRETS.SALESFORCE_CLIENT_SECRET,
  PARTNER_CENTER_API_URL: 'http://localhost:4020/',
  PARTNER_CENTER_WEBHOOK_API_URL: 'http://localhost:4020',
  PARTNER_CENTER_TOKEN_URL: 'http://localhost:4020/<tenant>/oauth2/token',
  PARTNER_CENTER_TENANT_ID: 'contoso.onmicrosoft.com',
  PARTNER_CENTER_CLIENT_ID: 'emulator-client',
  PARTNER_CENTER_CLIENT_SECRET: SECRETS.PARTNER_CENTER_CLIENT_SECRET,
  PARTNER_CENTER_USERNAME: 'admin@partner.example',
  PARTNER_CENTER_PASSWORD: SECRETS.PARTNER_CENTER_PASSWORD,
});

const productionEnv = (): Env => ({
  ...emulatorEnv(),
  BRIDGE_ENVIRONMENT: 'production',
  SALESFORCE_LOGIN_URL: 'https://contoso.my.salesforce.com',
  PARTNER_CENTER_API_URL: undefined,
  PARTNER_CENTER_WEBHOOK_API_URL: undefined,
  PARTNER_CENTER_TOKEN_URL: undefined,
  BRIDGE_PUBLIC_URL: 'https://bridge.contoso.com',
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cosell-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('applies the documented defaults and substitutes the tenant', () => {
    const config = loadConfig(emulatorEnv());
    expect(config.environment).toBe('emulator');
    expect(config.salesforce.apiVersion).toBe('62.0');
    expect(config.salesforce.clientName).toBe('CoSellSync');
    expect(config.salesforce.countryField).toEqual({
      object: 'Account',
      field: 'BillingCountry',
      path: 'Account.BillingCountry',
    });
    expect(config.partnerCenter.apiUrl).toBe('http://localhost:4020');
    expect(config.partnerCenter.tokenUrl).toBe(
      'http://localhost:4020/contoso.onmicrosoft.com/oauth2/token',
    );
    expect(config.partnerCenter.appTokenUrl).toBe(
      'http://localhost:4020/contoso.onmicrosoft.com/oauth2/v2.0/token',
    );
    expect(config.partnerCenter.dailyCallBudget).toBe(10_000);
    // Emulator mode: only the emulator's own host, never Microsoft's certificate host (R5).
    expect(config.partnerCenter.certificateHosts).toEqual(['localhost:4020']);
    expect(config.bridge).toMatchObject({
      port: 3000,
      databaseUrl: 'sqlite:./data/cosell.sqlite',
      logLevel: 'info',
      coalesceWindowMs: 2000,
      outboundBatchSize: 200,
      outboundConcurrency: 8,
      accountMatching: 'name-and-country',
      publicUrl: undefined,
    });
  });

  it('uses Microsoft hosts by default in production', () => {
    const config = loadConfig(productionEnv());
    expect(config.partnerCenter.apiUrl).toBe('https://api.partner.microsoft.com');
    expect(config.partnerCenter.webhookApiUrl).toBe('https://api.partnercenter.microsoft.com');
    expect(config.partnerCenter.tokenUrl).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/token',
    );
    expect(config.partnerCenter.certificateHosts).toEqual([
      '3psostorageacct.blob.core.windows.net',
      'api.partner.microsoft.com',
    ]);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig(emulatorEnv());
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.partnerCenter.certificateHosts)).toBe(true);
    expect(() => {
      (config.bridge as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('treats empty values as unset and parses overrides', () => {
    const config = loadConfig({
      ...emulatorEnv(),
      BRIDGE_PORT: '',
      BRIDGE_LOG_LEVEL: 'debug',
      PARTNER_CENTER_DAILY_CALL_BUDGET: '250',
      PARTNER_CENTER_CERTIFICATE_HOSTS: ' Certs.Localhost , localhost:4020 ',
      BRIDGE_COUNTRY_FIELD: 'Account.Country_Code__c',
    });
    expect(config.bridge.port).toBe(3000);
    expect(config.bridge.logLevel).toBe('debug');
    expect(config.partnerCenter.dailyCallBudget).toBe(250);
    expect(config.partnerCenter.certificateHosts).toEqual(['certs.localhost', 'localhost:4020']);
    expect(config.salesforce.countryField.field).toBe('Country_Code__c');
  });

  it.each([
    ['BRIDGE_ENVIRONMENT', undefined, 'BRIDGE_ENVIRONMENT is not set'],
    ['BRIDGE_ENVIRONMENT', 'staging', 'BRIDGE_ENVIRONMENT is invalid: expected one of production'],
    ['SALESFORCE_LOGIN_URL', 'not a url', 'SALESFORCE_LOGIN_URL is invalid'],
    ['SALESFORCE_LOGIN_URL', 'ftp://127.0.0.1', 'SALESFORCE_LOGIN_URL is invalid'],
    ['SALESFORCE_CLIENT_ID', undefined, 'SALESFORCE_CLIENT_ID is not set'],
    ['SALESFORCE_API_VERSION', 'v62', 'SALESFORCE_API_VERSION is invalid'],
    ['PARTNER_CENTER_TENANT_ID', undefined, 'PARTNER_CENTER_TENANT_ID is not set'],
    ['PARTNER_CENTER_CLIENT_SECRET', '  ', 'PARTNER_CENTER_CLIENT_SECRET is not set'],
    ['PARTNER_CENTER_DAILY_CALL_BUDGET', '0', 'PARTNER_CENTER_DAILY_CALL_BUDGET is invalid'],
    ['PARTNER_CENTER_DAILY_CALL_BUDGET', '1e4', 'PARTNER_CENTER_DAILY_CALL_BUDGET is invalid'],
    ['BRIDGE_PORT', '70000', 'BRIDGE_PORT is invalid: expected a TCP port'],
    ['BRIDGE_DATABASE_URL', 'mysql://x', 'BRIDGE_DATABASE_URL is invalid'],
    ['BRIDGE_LOG_LEVEL', 'verbose', 'BRIDGE_LOG_LEVEL is invalid'],
    ['BRIDGE_COUNTRY_FIELD', 'Contact.MailingCountry', 'BRIDGE_COUNTRY_FIELD is invalid'],
    ['BRIDGE_COUNTRY_FIELD', 'BillingCountry', 'BRIDGE_COUNTRY_FIELD is invalid'],
    ['BRIDGE_SALESFORCE_CLIENT_NAME', 'Co Sell', 'BRIDGE_SALESFORCE_CLIENT_NAME is invalid'],
    ['BRIDGE_OUTBOUND_BATCH_SIZE', '201', 'BRIDGE_OUTBOUND_BATCH_SIZE is invalid'],
    ['BRIDGE_ACCOUNT_MATCHING', 'fuzzy', 'BRIDGE_ACCOUNT_MATCHING is invalid'],
    ['BRIDGE_NOTIFICATIONS', 'status,weather', 'BRIDGE_NOTIFICATIONS is invalid'],
    ['BRIDGE_EXPIRY_WARNING_HOURS', '0', 'BRIDGE_EXPIRY_WARNING_HOURS is invalid'],
    ['PARTNER_CENTER_CERTIFICATE_HOSTS', 'https://x/y', 'PARTNER_CENTER_CERTIFICATE_HOSTS'],
  ])('R5: %s=%j stops start-up with one line naming it', (variable, value, expected) => {
    const error = configError(() => loadConfig({ ...emulatorEnv(), [variable]: value }));
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(expected);
    expect(error.message).not.toMatch(/\n/);
    for (const secret of Object.values(SECRETS)) expect(error.message).not.toContain(secret);
  });

  it('never echoes a secret-looking bad value', () => {
    const error = configError(() =>
      loadConfig({ ...emulatorEnv(), PARTNER_CENTER_TENANT_ID: 'pc-secret Kx42/with spaces' }),
    );
    expect(error.message).not.toContain('Kx42');
  });
});

describe('issue 19: decisions and owner notifications', () => {
  it('defaults: Prospecting is the on-hold stage, 72 hours of warning, every notification', () => {
    const { bridge } = loadConfig(emulatorEnv());
    expect(bridge.inboundHoldStage).toBe('Prospecting');
    expect(bridge.expiryWarningHours).toBe(72);
    expect(bridge.notifications).toEqual(['new-referral', 'sync-error', 'status', 'expiring']);
  });

  it.each([
    ['none', []],
    ['status, expiring', ['status', 'expiring']],
    ['SYNC-ERROR', ['sync-error']],
  ])('BRIDGE_NOTIFICATIONS=%j picks the kinds sent', (value, kinds) => {
    expect(
      loadConfig({ ...emulatorEnv(), BRIDGE_NOTIFICATIONS: value }).bridge.notifications,
    ).toEqual(kinds);
  });
});

describe('Salesforce auth modes', () => {
  it('client credentials needs the secret', () => {
    expect(loadConfig(emulatorEnv()).salesforce.auth).toEqual({
      mode: 'client_credentials',
      clientId: 'emulator-client',
      clientSecret: SECRETS.SALESFORCE_CLIENT_SECRET,
    });
    const error = configError(() =>
      loadConfig({ ...emulatorEnv(), SALESFORCE_CLIENT_SECRET: undefined }),
    );
    expect(error.variable).toBe('SALESFORCE_CLIENT_SECRET');
  });

  it('JWT bearer reads and checks the RSA private key at load', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyFile = join(dir, 'server.key');
    writeFileSync(keyFile, pem);
    const config = loadConfig({
      ...emulatorEnv(),
      SALESFORCE_CLIENT_SECRET: undefined,
      SALESFORCE_USERNAME: 'bridge@contoso.example',
      SALESFORCE_PRIVATE_KEY_FILE: keyFile,
    });
    expect(config.salesforce.auth).toMatchObject({
      mode: 'jwt',
      username: 'bridge@contoso.example',
      privateKeyFile: keyFile,
      privateKeyPem: pem,
    });
    expect(secretValues(config)).toContain(pem.trim());
    expect(JSON.stringify(redactedConfig(config))).not.toContain('PRIVATE KEY');
  });

  it('JWT bearer requires the username', () => {
    const error = configError(() =>
      loadConfig({ ...emulatorEnv(), SALESFORCE_PRIVATE_KEY_FILE: join(dir, 'any.key') }),
    );
    expect(error.variable).toBe('SALESFORCE_USERNAME');
  });

  it('rejects a missing key file, a non-key file and a non-RSA key without quoting them', () => {
    const base = { ...emulatorEnv(), SALESFORCE_USERNAME: 'bridge@contoso.example' };
    const missing = configError(() =>
      loadConfig({ ...base, SALESFORCE_PRIVATE_KEY_FILE: join(dir, 'missing.key') }),
    );
    expect(missing.message).toMatch(/^SALESFORCE_PRIVATE_KEY_FILE cannot be read: .*ENOENT/);

    const garbage = join(dir, 'garbage.key');
    writeFileSync(garbage, 'not-a-key-but-a-secret-Qp19');
    const notKey = configError(() => loadConfig({ ...base, SALESFORCE_PRIVATE_KEY_FILE: garbage }));
    expect(notKey.message).toContain('expected a PEM RSA private key');
    expect(notKey.message).not.toContain('Qp19');

    const ecFile = join(dir, 'ec.key');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(ecFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const ec = configError(() => loadConfig({ ...base, SALESFORCE_PRIVATE_KEY_FILE: ecFile }));
    expect(ec.variable).toBe('SALESFORCE_PRIVATE_KEY_FILE');
  });
});

describe('Partner Center App+User identity', () => {
  it('password grant', () => {
    expect(loadConfig(emulatorEnv()).partnerCenter.user).toEqual({
      mode: 'password',
      username: 'admin@partner.example',
      password: SECRETS.PARTNER_CENTER_PASSWORD,
    });
  });

  it('refresh token grant', () => {
    const config = loadConfig({
      ...emulatorEnv(),
      PARTNER_CENTER_USERNAME: undefined,
      PARTNER_CENTER_PASSWORD: undefined,
      PARTNER_CENTER_REFRESH_TOKEN: 'refresh-Tt55',
    });
    expect(config.partnerCenter.user).toEqual({
      mode: 'refresh_token',
      refreshToken: 'refresh-Tt55',
    });
    expect(secretValues(config)).toContain('refresh-Tt55');
  });

  it('refuses both identities, or none, or a username without password', () => {
    expect(
      configError(() => loadConfig({ ...emulatorEnv(), PARTNER_CENTER_REFRESH_TOKEN: 'rt' }))
        .variable,
    ).toBe('PARTNER_CENTER_REFRESH_TOKEN');
    expect(
      configError(() =>
        loadConfig({
          ...emulatorEnv(),
          PARTNER_CENTER_USERNAME: undefined,
          PARTNER_CENTER_PASSWORD: undefined,
        }),
      ).variable,
    ).toBe('PARTNER_CENTER_USERNAME');
    expect(
      configError(() => loadConfig({ ...emulatorEnv(), PARTNER_CENTER_PASSWORD: undefined }))
        .variable,
    ).toBe('PARTNER_CENTER_PASSWORD');
  });
});

describe('.env file', () => {
  it('fills unset variables; the real environment wins, even when empty', () => {
    const file = join(dir, 'test.env');
    const lines = Object.entries(emulatorEnv()).map(([k, v]) => `${k}=${v}`);
    writeFileSync(file, [...lines, 'BRIDGE_PORT=4444', 'BRIDGE_LOG_LEVEL=debug', ''].join('\n'));
    const config = loadConfig({ BRIDGE_PORT: '5555', BRIDGE_LOG_LEVEL: '' }, { envFile: file });
    expect(config.bridge.port).toBe(5555);
    expect(config.bridge.logLevel).toBe('info');
    expect(config.partnerCenter.clientSecret).toBe(SECRETS.PARTNER_CENTER_CLIENT_SECRET);
  });

  it('a missing env file is a ConfigError', () => {
    const error = configError(() => loadConfig({}, { envFile: join(dir, 'nope.env') }));
    expect(error.message).toContain('nope.env');
  });
});

describe('R5: environment guard', () => {
  it('R5: emulator refuses any non-loopback URL', () => {
    expect(
      configError(() =>
        loadConfig({ ...emulatorEnv(), SALESFORCE_LOGIN_URL: 'https://test.salesforce.com' }),
      ).variable,
    ).toBe('SALESFORCE_LOGIN_URL');
    // An unset Partner Center URL defaults to Microsoft's host: the emulator must say so.
    expect(
      configError(() => loadConfig({ ...emulatorEnv(), PARTNER_CENTER_WEBHOOK_API_URL: undefined }))
        .variable,
    ).toBe('PARTNER_CENTER_WEBHOOK_API_URL');
    expect(
      loadConfig({ ...emulatorEnv(), SALESFORCE_LOGIN_URL: 'http://[::1]:4010' }).salesforce
        .loginUrl,
    ).toBe('http://[::1]:4010');
    // The emulator delivers webhooks to BRIDGE_PUBLIC_URL: a public host would take them off
    // this machine (the operator walkthrough registered https://example.com unopposed).
    const publicUrl = configError(() =>
      loadConfig({ ...emulatorEnv(), BRIDGE_PUBLIC_URL: 'https://example.com' }),
    );
    expect(publicUrl.variable).toBe('BRIDGE_PUBLIC_URL');
    expect(publicUrl.message).toBe(
      'BRIDGE_PUBLIC_URL must be a loopback URL (localhost/127.0.0.1) when BRIDGE_ENVIRONMENT=emulator (the emulator delivers webhooks to it), got host example.com',
    );
    expect(
      loadConfig({ ...emulatorEnv(), BRIDGE_PUBLIC_URL: 'http://127.0.0.1:3000' }).bridge.publicUrl,
    ).toBe('http://127.0.0.1:3000');
  });

  it.each([
    'https://test.salesforce.com',
    'https://contoso--uat.sandbox.my.salesforce.com',
    'https://fun-dev-ed.scratch.my.salesforce.com',
    'http://contoso.my.salesforce.com',
    'http://127.0.0.1:4010',
  ])('R5: production refuses the non-production Salesforce URL %s', (url) => {
    const error = configError(() => loadConfig({ ...productionEnv(), SALESFORCE_LOGIN_URL: url }));
    expect(error.variable).toBe('SALESFORCE_LOGIN_URL');
    expect(error.message).toContain('BRIDGE_ENVIRONMENT=production');
  });

  it('R5: production refuses non-Microsoft or plain-http Partner Center URLs', () => {
    expect(
      configError(() =>
        loadConfig({ ...productionEnv(), PARTNER_CENTER_API_URL: 'http://localhost:4020' }),
      ).variable,
    ).toBe('PARTNER_CENTER_API_URL');
    expect(
      configError(() =>
        loadConfig({
          ...productionEnv(),
          PARTNER_CENTER_TOKEN_URL: 'http://login.microsoftonline.com/<tenant>/oauth2/token',
        }),
      ).variable,
    ).toBe('PARTNER_CENTER_TOKEN_URL');
    expect(
      configError(() =>
        loadConfig({ ...productionEnv(), BRIDGE_PUBLIC_URL: 'http://bridge.contoso.com' }),
      ).variable,
    ).toBe('BRIDGE_PUBLIC_URL');
  });

  it('R5: a sandbox acknowledgement in a production config is refused', () => {
    const error = configError(() =>
      loadConfig({
        ...productionEnv(),
        BRIDGE_SANDBOX_ALLOWED_TENANT_ID: 'contoso.onmicrosoft.com',
      }),
    );
    expect(error.variable).toBe('BRIDGE_SANDBOX_ALLOWED_TENANT_ID');
  });

  it('R5: sandbox refuses a production Salesforce org', () => {
    for (const url of ['https://login.salesforce.com', 'https://contoso.my.salesforce.com']) {
      const error = configError(() =>
        loadConfig({
          ...productionEnv(),
          BRIDGE_ENVIRONMENT: 'sandbox',
          BRIDGE_PUBLIC_URL: undefined,
          SALESFORCE_LOGIN_URL: url,
          BRIDGE_SANDBOX_ALLOWED_TENANT_ID: 'contoso.onmicrosoft.com',
        }),
      );
      expect(error.variable).toBe('SALESFORCE_LOGIN_URL');
    }
  });

  it('R5: sandbox reaches Microsoft hosts only when the acknowledgement names the tenant', () => {
    const sandbox = {
      ...productionEnv(),
      BRIDGE_ENVIRONMENT: 'sandbox',
      SALESFORCE_LOGIN_URL: 'https://contoso--uat.sandbox.my.salesforce.com',
    };
    const missing = configError(() => loadConfig(sandbox));
    expect(missing.variable).toBe('BRIDGE_SANDBOX_ALLOWED_TENANT_ID');
    expect(missing.message).toContain('api.partner.microsoft.com');
    const wrongTenant = configError(() =>
      loadConfig({ ...sandbox, BRIDGE_SANDBOX_ALLOWED_TENANT_ID: 'fabrikam.onmicrosoft.com' }),
    );
    expect(wrongTenant.variable).toBe('BRIDGE_SANDBOX_ALLOWED_TENANT_ID');
    const config = loadConfig({
      ...sandbox,
      BRIDGE_SANDBOX_ALLOWED_TENANT_ID: 'contoso.onmicrosoft.com',
    });
    expect(config.environment).toBe('sandbox');
  });

  it('R5: a sandbox against a self-hosted emulator needs no acknowledgement', () => {
    const config = loadConfig({ ...emulatorEnv(), BRIDGE_ENVIRONMENT: 'sandbox' });
    expect(config.environment).toBe('sandbox');
  });
});

describe('secrets', () => {
  it('redactedConfig hides every secret value and secretValues lists them', () => {
    const config = loadConfig({
      ...emulatorEnv(),
      BRIDGE_DATABASE_URL: 'postgres://bridge:db-pass-Hh31@db.internal/cosell',
    });
    const secrets = secretValues(config);
    expect(secrets).toEqual(expect.arrayContaining([...Object.values(SECRETS), 'db-pass-Hh31']));
    const shown = JSON.stringify(redactedConfig(config));
    for (const secret of secrets) expect(shown).not.toContain(secret);
    expect(shown).toContain('emulator-client');
    expect(shown).toContain('postgres://bridge:[redacted]@db.internal/cosell');
  });

  it.each([
    // node-postgres also reads the password from the query string, decoding it like a form value.
    [
      'postgres://bridge@db.internal/cosell?sslmode=require&password=q%2Bpass+Hh31',
      'postgres://bridge@db.internal/cosell?sslmode=require&password=[redacted]',
      ['q%2Bpass+Hh31', 'q+pass Hh31'],
    ],
    // An unencoded @ or : inside the user-info password belongs to it (the last @ ends it).
    [
      'postgresql://bridge:p@ss:Hh31@db.internal:5432/cosell',
      'postgresql://bridge:[redacted]@db.internal:5432/cosell',
      ['p@ss:Hh31'],
    ],
    [
      'postgres://bridge:p%40ss-Hh31@db.internal/cosell',
      'postgres://bridge:[redacted]@db.internal/cosell',
      ['p%40ss-Hh31', 'p@ss-Hh31'],
    ],
  ])(
    'the database password in %s is redacted and listed, as written and decoded',
    (url, shown, passwords) => {
      const config = loadConfig({ ...emulatorEnv(), BRIDGE_DATABASE_URL: url });
      expect(redactedConfig(config).bridge.databaseUrl).toBe(shown);
      expect(secretValues(config)).toEqual(expect.arrayContaining(passwords));
    },
  );

  it('a database URL without a password is shown as written', () => {
    const url = 'postgres://bridge@db.internal:5432/cosell?sslmode=require';
    expect(
      redactedConfig(loadConfig({ ...emulatorEnv(), BRIDGE_DATABASE_URL: url })).bridge.databaseUrl,
    ).toBe(url);
  });

  it('findUnknownVariables reports likely typos of our variables only', () => {
    expect(
      findUnknownVariables({ BRIDGE_PROT: '1', BRIDGE_PORT: '2', HOME: '/root', SALESFORCE_X: '' }),
    ).toEqual(['BRIDGE_PROT', 'SALESFORCE_X']);
  });
});

describe('configuration contract', () => {
  // DESIGN.md "Configuration (contract)": these names must exist exactly as written.
  const CONTRACT = [
    'SALESFORCE_LOGIN_URL',
    'SALESFORCE_CLIENT_ID',
    'SALESFORCE_CLIENT_SECRET',
    'SALESFORCE_USERNAME',
    'SALESFORCE_PRIVATE_KEY_FILE',
    'SALESFORCE_API_VERSION',
    'PARTNER_CENTER_API_URL',
    'PARTNER_CENTER_WEBHOOK_API_URL',
    'PARTNER_CENTER_TOKEN_URL',
    'PARTNER_CENTER_TENANT_ID',
    'PARTNER_CENTER_CLIENT_ID',
    'PARTNER_CENTER_CLIENT_SECRET',
    'PARTNER_CENTER_USERNAME',
    'PARTNER_CENTER_PASSWORD',
    'PARTNER_CENTER_REFRESH_TOKEN',
    'PARTNER_CENTER_DAILY_CALL_BUDGET',
    'BRIDGE_PORT',
    'BRIDGE_PUBLIC_URL',
    'BRIDGE_DATABASE_URL',
    'BRIDGE_ENVIRONMENT',
    'BRIDGE_LOG_LEVEL',
    'BRIDGE_COUNTRY_FIELD',
    'PARTNER_CENTER_CERTIFICATE_HOSTS',
  ];

  it('knows every contract variable and documents each in the reference table', () => {
    const table = configurationReference();
    for (const name of CONTRACT) {
      expect(VARIABLE_NAMES).toContain(name);
      expect(table).toContain(`| \`${name}\` |`);
    }
    expect(table.split('\n')).toHaveLength(VARIABLE_NAMES.length + 2);
    expect(table).toMatch(/\| `PARTNER_CENTER_PASSWORD` \| optional \| .*\*\*secret\*\* \|/);
    expect(table).toContain('| `PARTNER_CENTER_DAILY_CALL_BUDGET` | `10000` |');
  });
});

describe('config/README.md', () => {
  // Prettier pads table cells; compare cell contents only.
  const tableRows = (markdown: string) =>
    markdown
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) =>
        line
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim().replace(/^-+$/, '---'))
          .join('|'),
      );

  it('carries the current generated variable table', () => {
    const readme = readFileSync(join(__dirname, '../../src/config/README.md'), 'utf8');
    const generated = tableRows(configurationReference());
    const documented = tableRows(readme);
    expect(documented.slice(-generated.length)).toEqual(generated);
  });
});
