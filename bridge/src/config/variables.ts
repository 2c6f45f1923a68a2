/**
 * The configuration contract (DESIGN.md "Configuration"): every environment variable the bridge
 * reads, what it expects and its default. One table drives parsing, the one-line error messages,
 * redaction and the README's configuration reference, so they cannot drift apart.
 */
export interface VariableSpec {
  /** What a valid value looks like, phrased to follow "expected" in an error message. */
  readonly expected: string;
  /** Default applied when the variable is unset or empty; absent = required or optional by use. */
  readonly default?: string;
  /** Secret values never appear in errors, logs, `doctor` or `status` output. */
  readonly secret?: boolean;
  readonly description: string;
}

export const CONFIG_VARIABLES = {
  BRIDGE_ENVIRONMENT: {
    expected: 'one of production, sandbox, emulator',
    description:
      'Which world this bridge talks to (R5). Required and explicit; shown in every log line and in doctor.',
  },
  SALESFORCE_LOGIN_URL: {
    expected: 'an http(s) URL such as https://mydomain.my.salesforce.com',
    description: 'Salesforce login / My Domain URL used for the OAuth token request.',
  },
  SALESFORCE_CLIENT_ID: {
    expected: 'the connected app consumer key',
    description: 'Consumer key of the connected app the bridge authenticates as.',
  },
  SALESFORCE_CLIENT_SECRET: {
    expected: 'the connected app consumer secret',
    secret: true,
    description: 'Consumer secret (client credentials flow). Not needed for the JWT bearer flow.',
  },
  SALESFORCE_USERNAME: {
    expected: 'the integration user username, e.g. bridge@example.com',
    description: 'Integration user for the JWT bearer flow (with SALESFORCE_PRIVATE_KEY_FILE).',
  },
  SALESFORCE_PRIVATE_KEY_FILE: {
    expected: 'a path to a readable PEM RSA private key',
    description:
      'Private key signing the JWT bearer assertion. Setting it selects the JWT flow; read and checked at start-up.',
  },
  SALESFORCE_API_VERSION: {
    expected: 'a Salesforce API version such as 62.0',
    default: '62.0',
    description: 'REST / Streaming API version.',
  },
  PARTNER_CENTER_API_URL: {
    expected: 'an http(s) URL',
    default: 'https://api.partner.microsoft.com',
    description: 'Base URL of the Partner Center Referrals API.',
  },
  PARTNER_CENTER_WEBHOOK_API_URL: {
    expected: 'an http(s) URL',
    default: 'https://api.partnercenter.microsoft.com',
    description: 'Base URL of the Partner Center webhook registration API.',
  },
  PARTNER_CENTER_TOKEN_URL: {
    expected: 'an http(s) URL; <tenant> is replaced by PARTNER_CENTER_TENANT_ID',
    default: 'https://login.microsoftonline.com/<tenant>/oauth2/token',
    description:
      'Azure AD v1 token endpoint for the App+User token (password or refresh_token grant).',
  },
  PARTNER_CENTER_APP_TOKEN_URL: {
    expected: 'an http(s) URL; <tenant> is replaced by PARTNER_CENTER_TENANT_ID',
    description:
      'Azure AD v2 token endpoint for the app-only (client credentials) webhook API token. Default: PARTNER_CENTER_TOKEN_URL with /oauth2/token replaced by /oauth2/v2.0/token.',
  },
  PARTNER_CENTER_TENANT_ID: {
    expected: 'the partner Azure AD tenant id (GUID or domain)',
    description: 'Tenant of the Partner Center account.',
  },
  PARTNER_CENTER_CLIENT_ID: {
    expected: 'the Azure AD application (client) id',
    description: 'Azure AD app registered for Partner Center API access.',
  },
  PARTNER_CENTER_CLIENT_SECRET: {
    expected: 'the Azure AD application client secret',
    secret: true,
    description: 'Secret of the Azure AD app.',
  },
  PARTNER_CENTER_USERNAME: {
    expected: 'the service account UPN, e.g. cosell@partner.example',
    description:
      'App+User identity (password grant) with the Referrals admin role. Alternative: PARTNER_CENTER_REFRESH_TOKEN.',
  },
  PARTNER_CENTER_PASSWORD: {
    expected: 'the service account password',
    secret: true,
    description: 'Password of PARTNER_CENTER_USERNAME.',
  },
  PARTNER_CENTER_REFRESH_TOKEN: {
    expected: 'an Azure AD refresh token for the App+User identity',
    secret: true,
    description: 'App+User identity via the refresh_token grant (instead of username + password).',
  },
  PARTNER_CENTER_DAILY_CALL_BUDGET: {
    expected: 'a positive whole number of calls per UTC day',
    default: '10000',
    description: 'Daily Partner Center call budget (R1); work pauses when spent.',
  },
  PARTNER_CENTER_CERTIFICATE_HOSTS: {
    expected: 'a comma-separated list of host names',
    description:
      'Hosts the webhook signing certificate may be fetched from. Default: 3psostorageacct.blob.core.windows.net plus the host of PARTNER_CENTER_API_URL (emulator: only the latter). Checked like the other URLs: loopback only for emulator; for production only 3psostorageacct.blob.core.windows.net or hosts of microsoft.com (not other Azure storage accounts, where anyone can publish a certificate).',
  },
  BRIDGE_PORT: {
    expected: 'a TCP port number 0-65535',
    default: '3000',
    description: 'Port of the bridge HTTP server (webhook, health, metrics).',
  },
  BRIDGE_HOST: {
    expected: 'an IP address or host name of this machine, e.g. 127.0.0.1, 0.0.0.0 or ::',
    default: '0.0.0.0',
    description:
      'Interface the HTTP server binds. The default, every IPv4 interface, lets Partner Center reach the webhook directly; 127.0.0.1 keeps everything (webhook, health, metrics) local behind a reverse proxy.',
  },
  BRIDGE_METRICS_TOKEN: {
    expected: 'a random string of at least 16 characters',
    secret: true,
    description:
      'When set, GET /metrics answers only `Authorization: Bearer <token>` (Prometheus `authorization` / `bearer_token`) and 401 otherwise. Unset: /metrics is open to whoever reaches BRIDGE_HOST:BRIDGE_PORT.',
  },
  BRIDGE_PUBLIC_URL: {
    expected: 'an http(s) URL reachable by Partner Center',
    description:
      'Public base URL; the webhook is registered at <BRIDGE_PUBLIC_URL>/webhooks/partner-center.',
  },
  BRIDGE_DATABASE_URL: {
    expected: 'sqlite:<path>, sqlite::memory: or postgres://…',
    default: 'sqlite:./data/cosell.sqlite',
    description:
      'State store (replay cursor, outbox/inbox, watermarks, audit journal). SQLite: one bridge on one machine; postgres://: several bridge replicas share it (docs/DEPLOY.md).',
  },
  BRIDGE_LOG_LEVEL: {
    expected: 'one of fatal, error, warn, info, debug, trace, silent',
    default: 'info',
    description: 'pino log level.',
  },
  BRIDGE_LOG_FORMAT: {
    expected: 'one of json, pretty',
    description:
      'json: one JSON object per line (pino), for log collectors. pretty: one coloured line per entry, for people. Unset: pretty when stdout is a terminal, json otherwise.',
  },
  BRIDGE_COUNTRY_FIELD: {
    expected: 'Account.<FieldApiName>, e.g. Account.BillingCountryCode',
    default: 'Account.BillingCountry',
    description:
      "Account field holding the customer ISO 3166-1 alpha-2 country code (R16). Where State and Country/Territory Picklists exist, a …Country field's …CountryCode twin is used instead (found by describe).",
  },
  BRIDGE_SALESFORCE_CLIENT_NAME: {
    expected: 'letters, digits and underscores (max 40)',
    default: 'CoSellSync',
    description:
      'Client id sent in Sforce-Call-Options on every bridge write; CDC reports it as changeOrigin so echoes are ignored (R9).',
  },
  BRIDGE_RECONCILE_INTERVAL_SECONDS: {
    expected: 'a whole number of seconds >= 10',
    default: '900',
    description:
      'How often a SystemModstamp reconciliation sweep runs as a safety net for missed CDC events (R13).',
  },
  BRIDGE_FIELD_MAP_REFRESH_SECONDS: {
    expected: 'a whole number of seconds >= 5',
    default: '60',
    description:
      "How often the admin's field mapping (Co_Sell_Field_Map__mdt) is read again; custom metadata has no change events, so an edit takes effect within this time (one SOQL query per read).",
  },
  BRIDGE_PARTNER_CENTER_CATCH_UP_INTERVAL_SECONDS: {
    expected: 'a whole number of seconds >= 10',
    default: '900',
    description:
      'How often referrals updated since the last watermark are listed to recover missed webhooks (R13).',
  },
  BRIDGE_COALESCE_WINDOW_MS: {
    expected: 'a whole number of milliseconds 0-600000',
    default: '2000',
    description:
      'The first change of a quiet opportunity is sent at once; later changes within this window are sent together at its end, so a burst costs at most two Partner Center calls (R1).',
  },
  BRIDGE_OUTBOUND_BATCH_SIZE: {
    expected: 'a whole number 1-200',
    default: '200',
    description: 'Opportunities read and written back per batch (composite API limit: 200).',
  },
  BRIDGE_OUTBOUND_CONCURRENCY: {
    expected: 'a whole number 1-64',
    default: '8',
    description:
      'Partner Center calls in flight at once within an outbound batch (measured in docs/BENCHMARKS.md).',
  },
  BRIDGE_MAX_ATTEMPTS: {
    expected: 'a whole number 1-100',
    default: '12',
    description:
      'Transient failures retry with backoff up to this many attempts, then wait for an operator (R14).',
  },
  BRIDGE_ACCOUNT_MATCHING: {
    expected: 'one of name-and-country, name, always-create',
    default: 'name-and-country',
    description:
      'How a referral created in Partner Center finds its Salesforce Account (R18): match by name and country, by name only, or always create.',
  },
  BRIDGE_INBOUND_HOLD_STAGE: {
    expected: 'an opportunity stage name (StageName picklist value)',
    default: 'Prospecting',
    description:
      'Stage a referral Microsoft sent waits in until its owner answers it (Partner Center status New). Moving the opportunity from it to another open stage accepts the referral, like Co-Sell Decision = Accept.',
  },
  BRIDGE_EXPIRY_WARNING_HOURS: {
    expected: 'a whole number of hours from 1 to 336',
    default: '72',
    description:
      'A referral Microsoft sent that is still unanswered this close to its expiry (Partner Center closes it as Expired 14 days after it was sent) is flagged on the opportunity (Partner_Center_Expires_Soon__c) and its owner notified.',
  },
  BRIDGE_NOTIFICATIONS: {
    expected:
      "'all', 'none', or a comma-separated list of new-referral, sync-error, status, expiring",
    default: 'all',
    description:
      "Salesforce custom notifications the bridge sends to an opportunity's owner: new-referral (Microsoft sent one), sync-error (with its fix), status (accepted, declined, won, lost in Partner Center), expiring (about to expire unanswered).",
  },
  BRIDGE_JOURNAL_RETENTION_DAYS: {
    expected: 'a whole number of days >= 1',
    default: '400',
    description: 'How long the local audit journal behind `cosell explain` keeps events.',
  },
  BRIDGE_SHUTDOWN_TIMEOUT_MS: {
    expected: 'a whole number of milliseconds >= 0',
    default: '10000',
    description: 'Graceful shutdown waits this long for in-flight work before exiting.',
  },
  BRIDGE_SANDBOX_ALLOWED_TENANT_ID: {
    expected: 'exactly the value of PARTNER_CENTER_TENANT_ID',
    description:
      "Sandbox only: the acknowledgement that this sandbox may call Microsoft's real Partner Center hosts for this tenant (R5).",
  },
} as const satisfies Record<string, VariableSpec>;

export type VariableName = keyof typeof CONFIG_VARIABLES;

export const VARIABLE_NAMES = Object.keys(CONFIG_VARIABLES) as VariableName[];

export function describeVariable(name: VariableName): VariableSpec {
  return CONFIG_VARIABLES[name];
}
