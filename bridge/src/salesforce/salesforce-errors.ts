import {
  AccessDeniedError,
  AuthenticationError,
  BridgeError,
  PermanentError,
  TransientError,
} from '../errors';

/** The permission set the integration user needs (force-app/main/default/permissionsets). */
export const INTEGRATION_PERMISSION_SET = 'Co_Sell_Bridge_Integration';

/**
 * REQUEST_LIMIT_EXCEEDED covers both the rolling 24-hour org limit ("TotalRequests Limit
 * exceeded") and short concurrency limits; the daily one cannot clear within seconds, so waiting
 * longer avoids burning what little is left of the allocation.
 */
const DAILY_LIMIT_WAIT_MS = 15 * 60_000;
const CONCURRENCY_LIMIT_WAIT_MS = 30_000;

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const TRANSIENT_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'QUERY_TIMEOUT']);

/**
 * OAuth token endpoint errors (RFC 6749 §5.2 plus Salesforce's own) and the fix an operator has
 * to make (R7). jsforce raises them as an Error whose `name` is the `error` field.
 */
const AUTH_FIXES: Record<string, string> = {
  invalid_client_id:
    'check SALESFORCE_CLIENT_ID: it must be the consumer key of the connected app used by the bridge',
  invalid_client:
    'check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET: they must be the consumer key and secret of the connected app',
  unauthorized_client:
    'enable the OAuth flow the bridge uses (Client Credentials or JWT Bearer) on the connected app',
  unsupported_grant_type:
    'enable the OAuth flow the bridge uses (Client Credentials or JWT Bearer) on the connected app',
  invalid_grant:
    'for client credentials set a "Run As" integration user on the connected app; for JWT pre-authorize the connected app for SALESFORCE_USERNAME (Admin approved users are pre-authorized) and upload the certificate that matches SALESFORCE_PRIVATE_KEY_FILE',
  inactive_user: 'reactivate the integration user in Salesforce Setup → Users',
  inactive_org: 'the Salesforce org is locked, deleted or suspended; check SALESFORCE_LOGIN_URL',
  INVALID_SESSION_ID:
    'the session expired and could not be renewed; run `cosell doctor` to check the Salesforce credentials',
};

/** Extra detail for the most common invalid_grant descriptions. */
function refineInvalidGrant(description: string): string | undefined {
  const text = description.toLowerCase();
  if (text.includes('audience')) {
    return 'SALESFORCE_LOGIN_URL must be https://login.salesforce.com (production), https://test.salesforce.com (sandbox), your My Domain URL or an Experience Cloud site URL';
  }
  if (text.includes('approved') || text.includes('consumer')) {
    return 'pre-authorize the connected app for SALESFORCE_USERNAME: set "Permitted Users" to "Admin approved users are pre-authorized" and assign the Co_Sell_Bridge_Integration permission set';
  }
  if (text.includes('client credentials')) {
    return 'enable Client Credentials Flow on the connected app and set its "Run As" user to the integration user';
  }
  if (text.includes('expired'))
    return 'the JWT expired before it reached Salesforce: check the bridge host clock';
  return undefined;
}

interface ErrorFacts {
  code: string | undefined;
  message: string;
  fields: string[];
  networkCode: string | undefined;
}

function factsOf(error: unknown): ErrorFacts {
  if (!(error instanceof Error))
    return { code: undefined, message: String(error), fields: [], networkCode: undefined };
  const anyError = error as Error & { errorCode?: unknown; code?: unknown; data?: unknown };
  const data = anyError.data as { fields?: unknown; errorCode?: unknown } | undefined;
  const code =
    typeof anyError.errorCode === 'string'
      ? anyError.errorCode
      : error.name !== 'Error' && error.name !== 'TypeError'
        ? error.name
        : undefined;
  const fields = Array.isArray(data?.fields)
    ? data.fields.filter((f): f is string => typeof f === 'string')
    : [];
  const cause = anyError.cause as { code?: unknown } | undefined;
  const networkCode =
    typeof anyError.code === 'string' && NETWORK_CODES.has(anyError.code)
      ? anyError.code
      : typeof cause?.code === 'string' && NETWORK_CODES.has(cause.code)
        ? cause.code
        : undefined;
  return { code, message: withoutQueryEcho(error.message), fields, networkCode };
}

/**
 * Salesforce answers a refused SOQL query with the query echoed, a caret under the culprit and
 * `ERROR at Row:1:Column:N`, then the reason, on separate lines. Only the reason is kept: the echo
 * broke `cosell doctor`'s one line per check into five and filled logs and sync messages.
 */
function withoutQueryEcho(message: string): string {
  const reason = /\nERROR at Row:\d+:Column:\d+\n([\s\S]*)$/.exec(message);
  return reason ? reason[1]!.trim() : message;
}

/** `No such column 'X__c' on entity 'Opportunity'` → `Opportunity.X__c`. */
function missingColumn(message: string): string | undefined {
  const match = /No such column '([^']+)' on entity '([^']+)'/i.exec(message);
  if (match) return `${match[2]}.${match[1]}`;
  const relation = /Didn't understand relationship '([^']+)'/i.exec(message);
  if (relation) return relation[1];
  const type = /sObject type '([^']+)' is not supported/i.exec(message);
  return type?.[1];
}

/**
 * Only our package's schema is the permission set's business: custom objects and fields (`__c`,
 * relationships `__r`), its custom metadata type (`__mdt`) and platform event (`__e`).
 */
function isPackageName(name: string): boolean {
  return /__(c|r|mdt|e)\b/i.test(name);
}

function accessDenied(what: string, operation: string, error: unknown): AccessDeniedError {
  const missing = `${INTEGRATION_PERMISSION_SET} permission set`;
  return new AccessDeniedError(
    `Salesforce denied ${operation}${what ? ` (${what})` : ''}: assign the ${missing} to the bridge's integration user (and deploy the package if the field is missing)`,
    'salesforce',
    what ? `${missing} (${what})` : missing,
    { cause: error },
  );
}

/**
 * Turn whatever jsforce or the network raised into the bridge's error taxonomy, so the engine can
 * decide between retrying, waiting for a data change and telling the operator what to grant.
 */
export function toBridgeError(raw: unknown, operation: string): BridgeError {
  if (raw instanceof BridgeError) return raw;
  const { code, message, fields, networkCode } = factsOf(raw);
  // The cause, as messages show it (describeError adds it in parentheses): without the query
  // echo when Salesforce sent one; the raw error stays one level further down the cause chain.
  const error =
    raw instanceof Error && message !== raw.message
      ? Object.assign(new Error(message, { cause: raw }), { name: raw.name })
      : raw;

  if (code?.startsWith('INSUFFICIENT_ACCESS'))
    return accessDenied(fields.join(', '), operation, error);

  if (
    code === 'INVALID_FIELD' ||
    code === 'INVALID_TYPE' ||
    code === 'INVALID_FIELD_FOR_INSERT_UPDATE'
  ) {
    const names =
      fields.length > 0 ? fields : [missingColumn(message)].filter((n): n is string => !!n);
    if (names.some(isPackageName) || code === 'INVALID_FIELD_FOR_INSERT_UPDATE') {
      return accessDenied(names.join(', '), operation, error);
    }
    return new PermanentError(`Salesforce rejected ${operation}: ${message}`, 'salesforce', code, {
      cause: error,
    });
  }

  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    const wait = /TotalRequests/i.test(message) ? DAILY_LIMIT_WAIT_MS : CONCURRENCY_LIMIT_WAIT_MS;
    return new TransientError(
      `Salesforce API limit reached during ${operation}: ${message}`,
      'salesforce',
      wait,
      {
        cause: error,
      },
    );
  }

  if (
    networkCode ||
    (code && (TRANSIENT_CODES.has(code) || /^ERROR_HTTP_(5\d\d|429|420)$/.test(code)))
  ) {
    return new TransientError(
      `Salesforce ${operation} failed, will retry: ${networkCode ?? code}: ${message}`,
      'salesforce',
      undefined,
      {
        cause: error,
      },
    );
  }

  const refreshFailure = /^Unable to refresh session due to: (.*)$/s.exec(message);
  if (code && code in AUTH_FIXES) {
    const fix = (code === 'invalid_grant' && refineInvalidGrant(message)) || AUTH_FIXES[code];
    return new AuthenticationError(
      `Salesforce sign-in failed (${code}: ${message}); fix: ${fix}`,
      'salesforce',
      {
        cause: error,
      },
    );
  }
  if (refreshFailure) {
    return new AuthenticationError(
      `Salesforce session could not be renewed: ${refreshFailure[1]}`,
      'salesforce',
      {
        cause: error,
      },
    );
  }

  if (!code && error instanceof TypeError && /fetch failed/i.test(message)) {
    return new TransientError(
      `Salesforce ${operation} failed, will retry: ${message}`,
      'salesforce',
      undefined,
      { cause: error },
    );
  }

  return new PermanentError(`Salesforce rejected ${operation}: ${message}`, 'salesforce', code, {
    cause: error,
  });
}

/** A per-record failure inside a composite (collections) response; these carry `statusCode`. */
export interface RecordError {
  statusCode?: string;
  errorCode?: string;
  message: string;
  fields?: string[];
}

/** Same taxonomy for one record's errors inside an HTTP-200 composite response. */
export function recordErrorToBridgeError(errors: RecordError[], operation: string): BridgeError {
  const first = errors[0] ?? { message: 'unknown error' };
  const synthetic = Object.assign(new Error(errors.map((e) => e.message).join('; ')), {
    errorCode: first.statusCode ?? first.errorCode,
    data: { fields: errors.flatMap((e) => e.fields ?? []) },
  });
  return toBridgeError(synthetic, operation);
}
