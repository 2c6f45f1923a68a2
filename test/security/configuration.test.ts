/**
 * Issue 7, configuration. Every invalid environment value stops the bridge with ONE clear line
 * naming the variable, and no configured secret ever appears in any output. The table below must
 * cover every variable of the contract (a test fails when one is added without a bad value here).
 * Each row is checked in-process through loadConfig; a sample of rows — one per kind of check — is
 * also run through the real CLI process, where "one line" means the whole of stdout and stderr.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, VARIABLE_NAMES } from '../../bridge/src/config';
import { ConfigError } from '../../bridge/src/errors';
import { BridgeProcess, bridgeEnvironment } from '../support';

/** Secret values used throughout this file; none may ever be printed. */
const SECRETS = {
  SALESFORCE_CLIENT_SECRET: 'sf-secret-3c9e1b77a4',
  PARTNER_CENTER_CLIENT_SECRET: 'pc-secret-81f0d2aa6e',
  PARTNER_CENTER_PASSWORD: 'pc-password-5be7c01d93',
  PARTNER_CENTER_REFRESH_TOKEN: 'pc-refresh-0a4f6e2c71',
};

const dir = mkdtempSync(join(tmpdir(), 'cosell-config-'));
const keyFile = join(dir, 'jwt.key');
writeFileSync(
  keyFile,
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }),
);

function validEnv(): Record<string, string> {
  return bridgeEnvironment({
    salesforceUrl: 'http://127.0.0.1:9',
    partnerCenterUrl: 'http://127.0.0.1:9',
    port: 0,
    databaseFile: join(dir, 'bridge.sqlite'),
    overrides: {
      SALESFORCE_CLIENT_SECRET: SECRETS.SALESFORCE_CLIENT_SECRET,
      PARTNER_CENTER_CLIENT_SECRET: SECRETS.PARTNER_CENTER_CLIENT_SECRET,
      PARTNER_CENTER_PASSWORD: SECRETS.PARTNER_CENTER_PASSWORD,
    },
  });
}

type Change = Record<string, string | undefined>;

/**
 * One bad setting per variable: [variable named in the error, changes to a valid environment,
 * kind of check]. `undefined` removes a variable.
 */
const BAD_VALUES: Array<[string, Change, string]> = [
  ['BRIDGE_ENVIRONMENT', { BRIDGE_ENVIRONMENT: 'staging' }, 'enum'],
  ['BRIDGE_ENVIRONMENT', { BRIDGE_ENVIRONMENT: undefined }, 'required'],
  ['SALESFORCE_LOGIN_URL', { SALESFORCE_LOGIN_URL: 'mydomain.my.salesforce.com' }, 'url'],
  ['SALESFORCE_CLIENT_ID', { SALESFORCE_CLIENT_ID: undefined }, 'required'],
  ['SALESFORCE_CLIENT_SECRET', { SALESFORCE_CLIENT_SECRET: undefined }, 'auth mode'],
  [
    'SALESFORCE_USERNAME',
    { SALESFORCE_CLIENT_SECRET: undefined, SALESFORCE_PRIVATE_KEY_FILE: keyFile },
    'auth mode',
  ],
  [
    'SALESFORCE_PRIVATE_KEY_FILE',
    {
      SALESFORCE_CLIENT_SECRET: undefined,
      SALESFORCE_USERNAME: 'bridge@cosell.example',
      SALESFORCE_PRIVATE_KEY_FILE: join(dir, 'missing.key'),
    },
    'file',
  ],
  ['SALESFORCE_API_VERSION', { SALESFORCE_API_VERSION: '62' }, 'pattern'],
  ['PARTNER_CENTER_API_URL', { PARTNER_CENTER_API_URL: 'ftp://127.0.0.1/x' }, 'url'],
  ['PARTNER_CENTER_WEBHOOK_API_URL', { PARTNER_CENTER_WEBHOOK_API_URL: 'not a url' }, 'url'],
  ['PARTNER_CENTER_TOKEN_URL', { PARTNER_CENTER_TOKEN_URL: '/relative/token' }, 'url'],
  ['PARTNER_CENTER_APP_TOKEN_URL', { PARTNER_CENTER_APP_TOKEN_URL: 'token-url' }, 'url'],
  ['PARTNER_CENTER_TENANT_ID', { PARTNER_CENTER_TENANT_ID: 'bad tenant!' }, 'pattern'],
  ['PARTNER_CENTER_CLIENT_ID', { PARTNER_CENTER_CLIENT_ID: undefined }, 'required'],
  ['PARTNER_CENTER_CLIENT_SECRET', { PARTNER_CENTER_CLIENT_SECRET: undefined }, 'required'],
  ['PARTNER_CENTER_PASSWORD', { PARTNER_CENTER_PASSWORD: undefined }, 'identity'],
  ['PARTNER_CENTER_USERNAME', { PARTNER_CENTER_USERNAME: undefined }, 'identity'],
  [
    'PARTNER_CENTER_REFRESH_TOKEN',
    { PARTNER_CENTER_REFRESH_TOKEN: SECRETS.PARTNER_CENTER_REFRESH_TOKEN },
    'identity',
  ],
  ['PARTNER_CENTER_DAILY_CALL_BUDGET', { PARTNER_CENTER_DAILY_CALL_BUDGET: '-5' }, 'number'],
  [
    'PARTNER_CENTER_CERTIFICATE_HOSTS',
    { PARTNER_CENTER_CERTIFICATE_HOSTS: 'https://evil.example/cert' },
    'host list',
  ],
  ['BRIDGE_PORT', { BRIDGE_PORT: '70000' }, 'number'],
  ['BRIDGE_PUBLIC_URL', { BRIDGE_PUBLIC_URL: 'bridge.example' }, 'url'],
  ['BRIDGE_DATABASE_URL', { BRIDGE_DATABASE_URL: 'mysql://db/cosell' }, 'database url'],
  ['BRIDGE_LOG_LEVEL', { BRIDGE_LOG_LEVEL: 'loud' }, 'enum'],
  ['BRIDGE_LOG_FORMAT', { BRIDGE_LOG_FORMAT: 'xml' }, 'enum'],
  ['BRIDGE_HOST', { BRIDGE_HOST: 'bridge host!' }, 'pattern'],
  ['BRIDGE_METRICS_TOKEN', { BRIDGE_METRICS_TOKEN: 'short' }, 'length'],
  ['BRIDGE_COUNTRY_FIELD', { BRIDGE_COUNTRY_FIELD: 'Contact.MailingCountry' }, 'pattern'],
  ['BRIDGE_SALESFORCE_CLIENT_NAME', { BRIDGE_SALESFORCE_CLIENT_NAME: 'Co Sell' }, 'pattern'],
  ['BRIDGE_RECONCILE_INTERVAL_SECONDS', { BRIDGE_RECONCILE_INTERVAL_SECONDS: '5' }, 'number'],
  [
    'BRIDGE_PARTNER_CENTER_CATCH_UP_INTERVAL_SECONDS',
    { BRIDGE_PARTNER_CENTER_CATCH_UP_INTERVAL_SECONDS: 'ten' },
    'number',
  ],
  ['BRIDGE_COALESCE_WINDOW_MS', { BRIDGE_COALESCE_WINDOW_MS: '600001' }, 'number'],
  ['BRIDGE_OUTBOUND_BATCH_SIZE', { BRIDGE_OUTBOUND_BATCH_SIZE: '0' }, 'number'],
  ['BRIDGE_OUTBOUND_CONCURRENCY', { BRIDGE_OUTBOUND_CONCURRENCY: '65' }, 'number'],
  ['BRIDGE_MAX_ATTEMPTS', { BRIDGE_MAX_ATTEMPTS: '101' }, 'number'],
  ['BRIDGE_ACCOUNT_MATCHING', { BRIDGE_ACCOUNT_MATCHING: 'fuzzy' }, 'enum'],
  ['BRIDGE_FIELD_MAP_REFRESH_SECONDS', { BRIDGE_FIELD_MAP_REFRESH_SECONDS: '4' }, 'number'],
  ['BRIDGE_INBOUND_HOLD_STAGE', { BRIDGE_INBOUND_HOLD_STAGE: 'x'.repeat(256) }, 'length'],
  ['BRIDGE_EXPIRY_WARNING_HOURS', { BRIDGE_EXPIRY_WARNING_HOURS: '337' }, 'number'],
  ['BRIDGE_NOTIFICATIONS', { BRIDGE_NOTIFICATIONS: 'status,weather' }, 'enum'],
  ['BRIDGE_JOURNAL_RETENTION_DAYS', { BRIDGE_JOURNAL_RETENTION_DAYS: '0' }, 'number'],
  ['BRIDGE_SHUTDOWN_TIMEOUT_MS', { BRIDGE_SHUTDOWN_TIMEOUT_MS: '-1' }, 'number'],
  [
    'BRIDGE_SANDBOX_ALLOWED_TENANT_ID',
    {
      BRIDGE_ENVIRONMENT: 'sandbox',
      PARTNER_CENTER_API_URL: 'https://api.partner.microsoft.com',
      BRIDGE_SANDBOX_ALLOWED_TENANT_ID: 'another-tenant',
    },
    'environment guard',
  ],
];

function apply(change: Change): Record<string, string> {
  const env = validEnv();
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function secretsIn(text: string): string[] {
  return Object.values(SECRETS).filter((secret) => text.includes(secret));
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('R5: every invalid environment value gives one clear line naming the variable', () => {
  it('the table covers every variable of the configuration contract', () => {
    const covered = new Set(BAD_VALUES.map(([variable]) => variable));
    expect(VARIABLE_NAMES.filter((name) => !covered.has(name))).toEqual([]);
  });

  it('the valid environment the rows start from loads', () => {
    expect(() => loadConfig(validEnv())).not.toThrow();
  });

  it.each(BAD_VALUES)('R5: %s (%j, %s check) → ConfigError naming it', (variable, change) => {
    let error: unknown;
    try {
      loadConfig(apply(change));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { message } = error as ConfigError;
    expect(message).toContain(variable);
    expect(message.split('\n')).toHaveLength(1);
    expect(secretsIn(message)).toEqual([]);
  });

  // A sample through the real process (each row is a Node start-up on a shared machine): one row
  // for each of these kinds of check. `cosell status` must exit 2 with one line.
  const PROCESS_KINDS = ['enum', 'required', 'url', 'number', 'identity', 'file'];
  const sample = PROCESS_KINDS.map((kind) => BAD_VALUES.find((row) => row[2] === kind)).filter(
    (row): row is (typeof BAD_VALUES)[number] => row !== undefined,
  );
  it('R5: through the CLI process, one line and exit code 2 (a row for each kind of check)', async () => {
    const bridge = await BridgeProcess.create({
      salesforceUrl: 'http://127.0.0.1:9',
      partnerCenterUrl: 'http://127.0.0.1:9',
    });
    try {
      const results: Array<{ variable: string; code: number | null; output: string }> = [];
      // Two at a time: each is a Node start-up; the machine is shared.
      for (let i = 0; i < sample.length; i += 2) {
        results.push(
          ...(await Promise.all(
            sample.slice(i, i + 2).map(async ([variable, change]) => {
              const env: Change = { ...apply(change) };
              for (const name of VARIABLE_NAMES) if (!(name in env)) env[name] = undefined;
              const result = await bridge.cli(['status'], { env });
              return { variable, code: result.code, output: result.stdout + result.stderr };
            }),
          )),
        );
      }
      expect(results).toHaveLength(PROCESS_KINDS.length);
      for (const { variable, code, output } of results) {
        const lines = output.split('\n').filter((line) => line.trim() !== '');
        expect({ variable, code, lines: lines.length }).toEqual({ variable, code: 2, lines: 1 });
        expect(lines[0]).toContain(variable);
        expect(secretsIn(output)).toEqual([]);
      }
    } finally {
      await bridge.dispose();
    }
  }, 240_000);
});
