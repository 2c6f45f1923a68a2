import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { mergeEnvFile, type EnvSource } from './env-source';
import { checkEnvironmentSafety, MICROSOFT_CERTIFICATE_HOST } from './environment-guard';
import {
  NOTIFICATION_KINDS,
  type Config,
  type NotificationKind,
  type PartnerCenterUser,
  type SalesforceAuth,
} from './types';
import {
  CONFIG_VARIABLES,
  VARIABLE_NAMES,
  type VariableName,
  type VariableSpec,
} from './variables';

export { MICROSOFT_CERTIFICATE_HOST };

const TENANT_PLACEHOLDER = '<tenant>';

const optionalText = z.string().optional();
const requiredText = z.string();

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

const httpUrl = z.string().refine((value) => isHttpUrl(value.replaceAll(TENANT_PLACEHOLDER, 't')));

function wholeNumber(min: number, max: number) {
  return z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));
}

/** BRIDGE_NOTIFICATIONS: 'all', 'none' or a list of kinds; an unknown kind is an error. */
const notificationList = z.string().transform((value, ctx): readonly NotificationKind[] => {
  const text = value.trim().toLowerCase();
  if (text === 'all') return NOTIFICATION_KINDS;
  if (text === 'none') return [];
  const kinds = text.split(',').map((k) => k.trim());
  if (kinds.some((k) => !(NOTIFICATION_KINDS as readonly string[]).includes(k))) {
    ctx.addIssue({ code: 'custom', message: 'unknown notification kind' });
    return z.NEVER;
  }
  return [...new Set(kinds)] as NotificationKind[];
});

const hostList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter((host) => host !== ''),
  )
  .pipe(z.array(z.string().regex(/^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/)).min(1));

/** Raw shape: one entry per variable, in the order errors should be reported. */
const RAW_SCHEMA = z.object({
  BRIDGE_ENVIRONMENT: z.enum(['production', 'sandbox', 'emulator']),
  SALESFORCE_LOGIN_URL: httpUrl,
  SALESFORCE_CLIENT_ID: requiredText,
  SALESFORCE_CLIENT_SECRET: optionalText,
  SALESFORCE_USERNAME: optionalText,
  SALESFORCE_PRIVATE_KEY_FILE: optionalText,
  SALESFORCE_API_VERSION: z.string().regex(/^\d{2,3}\.0$/),
  PARTNER_CENTER_API_URL: httpUrl,
  PARTNER_CENTER_WEBHOOK_API_URL: httpUrl,
  PARTNER_CENTER_TOKEN_URL: httpUrl,
  PARTNER_CENTER_APP_TOKEN_URL: httpUrl.optional(),
  PARTNER_CENTER_TENANT_ID: z.string().regex(/^[A-Za-z0-9.-]+$/),
  PARTNER_CENTER_CLIENT_ID: requiredText,
  PARTNER_CENTER_CLIENT_SECRET: requiredText,
  PARTNER_CENTER_USERNAME: optionalText,
  PARTNER_CENTER_PASSWORD: optionalText,
  PARTNER_CENTER_REFRESH_TOKEN: optionalText,
  PARTNER_CENTER_DAILY_CALL_BUDGET: wholeNumber(1, 10_000_000),
  PARTNER_CENTER_CERTIFICATE_HOSTS: hostList.optional(),
  BRIDGE_PORT: wholeNumber(0, 65_535),
  BRIDGE_HOST: z.string().regex(/^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/),
  BRIDGE_METRICS_TOKEN: z.string().min(16).optional(),
  BRIDGE_PUBLIC_URL: httpUrl.optional(),
  BRIDGE_DATABASE_URL: z.string().regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/),
  BRIDGE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  BRIDGE_LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  BRIDGE_COUNTRY_FIELD: z.string().regex(/^Account\.[A-Za-z][A-Za-z0-9_]*$/),
  BRIDGE_SALESFORCE_CLIENT_NAME: z.string().regex(/^[A-Za-z0-9_]{1,40}$/),
  BRIDGE_RECONCILE_INTERVAL_SECONDS: wholeNumber(10, 7 * 24 * 3600),
  BRIDGE_FIELD_MAP_REFRESH_SECONDS: wholeNumber(5, 24 * 3600),
  BRIDGE_PARTNER_CENTER_CATCH_UP_INTERVAL_SECONDS: wholeNumber(10, 7 * 24 * 3600),
  BRIDGE_COALESCE_WINDOW_MS: wholeNumber(0, 600_000),
  BRIDGE_OUTBOUND_BATCH_SIZE: wholeNumber(1, 200),
  BRIDGE_OUTBOUND_CONCURRENCY: wholeNumber(1, 64),
  BRIDGE_MAX_ATTEMPTS: wholeNumber(1, 100),
  BRIDGE_ACCOUNT_MATCHING: z.enum(['name-and-country', 'name', 'always-create']),
  BRIDGE_INBOUND_HOLD_STAGE: z.string().trim().min(1).max(255),
  BRIDGE_EXPIRY_WARNING_HOURS: wholeNumber(1, 336),
  BRIDGE_NOTIFICATIONS: notificationList,
  BRIDGE_JOURNAL_RETENTION_DAYS: wholeNumber(1, 36_500),
  BRIDGE_SHUTDOWN_TIMEOUT_MS: wholeNumber(0, 600_000),
  BRIDGE_SANDBOX_ALLOWED_TENANT_ID: optionalText,
} satisfies Record<VariableName, z.ZodType>);

type RawConfig = z.infer<typeof RAW_SCHEMA>;

export interface LoadConfigOptions {
  /** A `.env` file read with Node's parseEnv semantics; the real environment wins over it. */
  envFile?: string;
}

/**
 * Environment → validated, deeply frozen Config. Throws ConfigError whose message is one line
 * naming the variable and what is expected; secret values are never echoed.
 */
export function loadConfig(env: EnvSource = process.env, options: LoadConfigOptions = {}): Config {
  const merged = mergeEnvFile(env, options.envFile);
  const raw = parseRaw(withDefaults(merged));
  const config = buildConfig(raw);
  checkEnvironmentSafety({
    environment: config.environment,
    salesforceLoginUrl: new URL(config.salesforce.loginUrl),
    partnerCenterUrls: [
      { variable: 'PARTNER_CENTER_API_URL', url: new URL(config.partnerCenter.apiUrl) },
      {
        variable: 'PARTNER_CENTER_WEBHOOK_API_URL',
        url: new URL(config.partnerCenter.webhookApiUrl),
      },
      { variable: 'PARTNER_CENTER_TOKEN_URL', url: new URL(config.partnerCenter.tokenUrl) },
      { variable: 'PARTNER_CENTER_APP_TOKEN_URL', url: new URL(config.partnerCenter.appTokenUrl) },
    ],
    publicUrl: config.bridge.publicUrl === undefined ? undefined : new URL(config.bridge.publicUrl),
    certificateHosts: config.partnerCenter.certificateHosts,
    tenantId: config.partnerCenter.tenantId,
    sandboxAllowedTenantId: raw.BRIDGE_SANDBOX_ALLOWED_TENANT_ID,
  });
  return deepFreeze(config);
}

/** Variables that look like ours but are not in the contract (typos), for `doctor`. */
export function findUnknownVariables(env: EnvSource): string[] {
  const known = new Set<string>(VARIABLE_NAMES);
  return Object.keys(env)
    .filter((name) => /^(BRIDGE|PARTNER_CENTER|SALESFORCE)_/.test(name) && !known.has(name))
    .sort();
}

/** Empty strings count as unset (a `.env` line `X=` means "not configured"); then defaults. */
function withDefaults(env: EnvSource): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const name of VARIABLE_NAMES) {
    const value = env[name]?.trim();
    const spec: VariableSpec = CONFIG_VARIABLES[name];
    values[name] = value === undefined || value === '' ? spec.default : value;
  }
  return values;
}

function parseRaw(values: Record<string, string | undefined>): RawConfig {
  const result = RAW_SCHEMA.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = issue?.path[0] as VariableName | undefined;
  if (name === undefined || !(name in CONFIG_VARIABLES)) {
    throw new ConfigError(`configuration is invalid: ${issue?.message ?? 'unknown error'}`, 'env');
  }
  // Our own wording, never zod's: zod messages can quote the input, which may be a secret.
  const state = values[name] === undefined ? 'is not set' : 'is invalid';
  throw new ConfigError(`${name} ${state}: expected ${CONFIG_VARIABLES[name].expected}`, name);
}

function buildConfig(raw: RawConfig): Config {
  const tenant = (url: string) => url.replaceAll(TENANT_PLACEHOLDER, raw.PARTNER_CENTER_TENANT_ID);
  const tokenUrl = tenant(raw.PARTNER_CENTER_TOKEN_URL);
  const apiHost = new URL(raw.PARTNER_CENTER_API_URL).host.toLowerCase();
  const [, countryField = ''] = raw.BRIDGE_COUNTRY_FIELD.split('.');
  return {
    environment: raw.BRIDGE_ENVIRONMENT,
    salesforce: {
      loginUrl: trimSlash(raw.SALESFORCE_LOGIN_URL),
      apiVersion: raw.SALESFORCE_API_VERSION,
      auth: salesforceAuth(raw),
      clientName: raw.BRIDGE_SALESFORCE_CLIENT_NAME,
      countryField: { object: 'Account', field: countryField, path: raw.BRIDGE_COUNTRY_FIELD },
    },
    partnerCenter: {
      apiUrl: trimSlash(raw.PARTNER_CENTER_API_URL),
      webhookApiUrl: trimSlash(raw.PARTNER_CENTER_WEBHOOK_API_URL),
      tokenUrl,
      appTokenUrl:
        raw.PARTNER_CENTER_APP_TOKEN_URL !== undefined
          ? tenant(raw.PARTNER_CENTER_APP_TOKEN_URL)
          : tokenUrl.replace(/\/oauth2\/token$/, '/oauth2/v2.0/token'),
      tenantId: raw.PARTNER_CENTER_TENANT_ID,
      clientId: raw.PARTNER_CENTER_CLIENT_ID,
      clientSecret: raw.PARTNER_CENTER_CLIENT_SECRET,
      user: partnerCenterUser(raw),
      dailyCallBudget: raw.PARTNER_CENTER_DAILY_CALL_BUDGET,
      // Microsoft's certificate host only where Microsoft may call: an emulator bridge must not
      // fetch from it at an unsigned request's bidding (R5).
      certificateHosts:
        raw.PARTNER_CENTER_CERTIFICATE_HOSTS ??
        (raw.BRIDGE_ENVIRONMENT === 'emulator' ? [apiHost] : [MICROSOFT_CERTIFICATE_HOST, apiHost]),
    },
    bridge: {
      port: raw.BRIDGE_PORT,
      // `[::1]` (URL spelling) binds as `::1`.
      host: raw.BRIDGE_HOST.replace(/^\[(.*)\]$/, '$1'),
      metricsToken: raw.BRIDGE_METRICS_TOKEN,
      publicUrl: raw.BRIDGE_PUBLIC_URL === undefined ? undefined : trimSlash(raw.BRIDGE_PUBLIC_URL),
      databaseUrl: raw.BRIDGE_DATABASE_URL,
      logLevel: raw.BRIDGE_LOG_LEVEL,
      ...(raw.BRIDGE_LOG_FORMAT ? { logFormat: raw.BRIDGE_LOG_FORMAT } : {}),
      reconcileIntervalSeconds: raw.BRIDGE_RECONCILE_INTERVAL_SECONDS,
      partnerCenterCatchUpIntervalSeconds: raw.BRIDGE_PARTNER_CENTER_CATCH_UP_INTERVAL_SECONDS,
      fieldMapRefreshSeconds: raw.BRIDGE_FIELD_MAP_REFRESH_SECONDS,
      coalesceWindowMs: raw.BRIDGE_COALESCE_WINDOW_MS,
      outboundBatchSize: raw.BRIDGE_OUTBOUND_BATCH_SIZE,
      outboundConcurrency: raw.BRIDGE_OUTBOUND_CONCURRENCY,
      maxAttempts: raw.BRIDGE_MAX_ATTEMPTS,
      accountMatching: raw.BRIDGE_ACCOUNT_MATCHING,
      inboundHoldStage: raw.BRIDGE_INBOUND_HOLD_STAGE,
      expiryWarningHours: raw.BRIDGE_EXPIRY_WARNING_HOURS,
      notifications: raw.BRIDGE_NOTIFICATIONS,
      journalRetentionDays: raw.BRIDGE_JOURNAL_RETENTION_DAYS,
      shutdownTimeoutMs: raw.BRIDGE_SHUTDOWN_TIMEOUT_MS,
    },
  };
}

/** Setting a private key file selects the JWT bearer flow; otherwise client credentials. */
function salesforceAuth(raw: RawConfig): SalesforceAuth {
  const clientId = raw.SALESFORCE_CLIENT_ID;
  if (raw.SALESFORCE_PRIVATE_KEY_FILE !== undefined) {
    if (raw.SALESFORCE_USERNAME === undefined) {
      throw new ConfigError(
        `SALESFORCE_USERNAME is not set: expected ${CONFIG_VARIABLES.SALESFORCE_USERNAME.expected} (required by the JWT bearer flow that SALESFORCE_PRIVATE_KEY_FILE selects)`,
        'SALESFORCE_USERNAME',
      );
    }
    const privateKeyFile = resolve(raw.SALESFORCE_PRIVATE_KEY_FILE);
    return {
      mode: 'jwt',
      clientId,
      username: raw.SALESFORCE_USERNAME,
      privateKeyFile,
      privateKeyPem: readRsaPrivateKey(privateKeyFile),
    };
  }
  if (raw.SALESFORCE_CLIENT_SECRET === undefined) {
    throw new ConfigError(
      'SALESFORCE_CLIENT_SECRET is not set: expected the connected app consumer secret (client credentials flow), or set SALESFORCE_USERNAME + SALESFORCE_PRIVATE_KEY_FILE for the JWT bearer flow',
      'SALESFORCE_CLIENT_SECRET',
    );
  }
  return { mode: 'client_credentials', clientId, clientSecret: raw.SALESFORCE_CLIENT_SECRET };
}

function readRsaPrivateKey(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(
      `SALESFORCE_PRIVATE_KEY_FILE cannot be read: ${file} (${code})`,
      'SALESFORCE_PRIVATE_KEY_FILE',
    );
  }
  let keyType: string | undefined;
  try {
    keyType = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    keyType = undefined;
  }
  // Salesforce's JWT bearer flow accepts RS256 only.
  if (keyType !== 'rsa') {
    throw new ConfigError(
      `SALESFORCE_PRIVATE_KEY_FILE is invalid: expected a PEM RSA private key in ${file}`,
      'SALESFORCE_PRIVATE_KEY_FILE',
    );
  }
  return pem;
}

/** Exactly one App+User identity: ambiguity would make the token source depend on luck. */
function partnerCenterUser(raw: RawConfig): PartnerCenterUser {
  const username = raw.PARTNER_CENTER_USERNAME;
  const password = raw.PARTNER_CENTER_PASSWORD;
  const refreshToken = raw.PARTNER_CENTER_REFRESH_TOKEN;
  if (refreshToken !== undefined) {
    if (username !== undefined || password !== undefined) {
      throw new ConfigError(
        'PARTNER_CENTER_REFRESH_TOKEN is set together with PARTNER_CENTER_USERNAME/PASSWORD: expected only one App+User identity',
        'PARTNER_CENTER_REFRESH_TOKEN',
      );
    }
    return { mode: 'refresh_token', refreshToken };
  }
  if (username === undefined) {
    throw new ConfigError(
      `PARTNER_CENTER_USERNAME is not set: expected ${CONFIG_VARIABLES.PARTNER_CENTER_USERNAME.expected} (or set PARTNER_CENTER_REFRESH_TOKEN)`,
      'PARTNER_CENTER_USERNAME',
    );
  }
  if (password === undefined) {
    throw new ConfigError(
      `PARTNER_CENTER_PASSWORD is not set: expected ${CONFIG_VARIABLES.PARTNER_CENTER_PASSWORD.expected}`,
      'PARTNER_CENTER_PASSWORD',
    );
  }
  return { mode: 'password', username, password };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
