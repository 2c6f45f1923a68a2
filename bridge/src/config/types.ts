import type { NotificationKind } from '../mapping/notifications';

/** The parsed, validated, deeply frozen configuration. Built only by `loadConfig`. */
export type BridgeEnvironment = 'production' | 'sandbox' | 'emulator';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'json' | 'pretty';

export type AccountMatching = 'name-and-country' | 'name' | 'always-create';

// The custom notifications the bridge can send (BRIDGE_NOTIFICATIONS); one list, in mapping/.
export { NOTIFICATION_KINDS, type NotificationKind } from '../mapping/notifications';

/** Client credentials flow: the connected app's own run-as user. */
export interface SalesforceClientCredentialsAuth {
  readonly mode: 'client_credentials';
  readonly clientId: string;
  readonly clientSecret: string;
}

/** JWT bearer flow: assertion signed with the private key, `sub` = username. */
export interface SalesforceJwtAuth {
  readonly mode: 'jwt';
  readonly clientId: string;
  readonly username: string;
  readonly privateKeyFile: string;
  /** PEM contents, read and parsed at load so a bad key stops start-up, not the first sync. */
  readonly privateKeyPem: string;
}

export type SalesforceAuth = SalesforceClientCredentialsAuth | SalesforceJwtAuth;

/** App+User identity the Referrals API requires (password grant for a service account). */
export interface PartnerCenterPasswordUser {
  readonly mode: 'password';
  readonly username: string;
  readonly password: string;
}

export interface PartnerCenterRefreshTokenUser {
  readonly mode: 'refresh_token';
  readonly refreshToken: string;
}

export type PartnerCenterUser = PartnerCenterPasswordUser | PartnerCenterRefreshTokenUser;

export interface CountryField {
  readonly object: 'Account';
  readonly field: string;
  /** As configured, e.g. `Account.BillingCountry`; used verbatim in messages (R16). */
  readonly path: string;
}

export interface Config {
  readonly environment: BridgeEnvironment;
  readonly salesforce: {
    readonly loginUrl: string;
    readonly apiVersion: string;
    readonly auth: SalesforceAuth;
    /** Sforce-Call-Options `client=` value, echoed back as CDC `changeOrigin` (R9). */
    readonly clientName: string;
    readonly countryField: CountryField;
  };
  readonly partnerCenter: {
    readonly apiUrl: string;
    readonly webhookApiUrl: string;
    /** v1 endpoint (App+User: password / refresh_token grants, `resource` parameter). */
    readonly tokenUrl: string;
    /** v2 endpoint (app-only client credentials, for the webhook API). */
    readonly appTokenUrl: string;
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly user: PartnerCenterUser;
    readonly dailyCallBudget: number;
    readonly certificateHosts: readonly string[];
  };
  readonly bridge: {
    readonly port: number;
    /** BRIDGE_HOST: the interface the HTTP server binds. */
    readonly host: string;
    /** BRIDGE_METRICS_TOKEN: /metrics requires this bearer token when set. */
    readonly metricsToken: string | undefined;
    readonly publicUrl: string | undefined;
    readonly databaseUrl: string;
    readonly logLevel: LogLevel;
    /** BRIDGE_LOG_FORMAT; unset = pretty on a terminal, json otherwise (log/create-logger.ts). */
    readonly logFormat?: LogFormat;
    readonly reconcileIntervalSeconds: number;
    readonly partnerCenterCatchUpIntervalSeconds: number;
    /** BRIDGE_FIELD_MAP_REFRESH_SECONDS: how often Co_Sell_Field_Map__mdt is read again. */
    readonly fieldMapRefreshSeconds: number;
    readonly coalesceWindowMs: number;
    readonly outboundBatchSize: number;
    /** BRIDGE_OUTBOUND_CONCURRENCY: Partner Center calls in flight at once per batch. */
    readonly outboundConcurrency: number;
    readonly maxAttempts: number;
    readonly accountMatching: AccountMatching;
    /** BRIDGE_INBOUND_HOLD_STAGE: where a referral Microsoft sent waits for its answer. */
    readonly inboundHoldStage: string;
    /** BRIDGE_EXPIRY_WARNING_HOURS: flag and notify an unanswered referral this close to expiry. */
    readonly expiryWarningHours: number;
    /** BRIDGE_NOTIFICATIONS: the kinds of custom notification sent to owners. */
    readonly notifications: readonly NotificationKind[];
    readonly journalRetentionDays: number;
    readonly shutdownTimeoutMs: number;
  };
}
