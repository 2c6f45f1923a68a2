/**
 * Pure redaction helpers for the logger. Two layers, because either alone leaks:
 * key-based redaction catches secrets we do not know the value of (a fresh access token in a
 * response object), value-based scrubbing catches configured secrets that end up inside free
 * text (an error message quoting a request body).
 */
export const REDACTED = '[redacted]';

/** Normalised key names (lower case, no `_`/`-`) that always carry a secret. */
const SECRET_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'password',
  'passwd',
  'clientsecret',
  'secret',
  'assertion',
  'cookie',
  'setcookie',
  'signature',
  'xmssignature',
  'privatekey',
  'privatekeypem',
  'apikey',
  'sessionid',
  'sid',
]);

const SECRET_SUFFIXES = ['token', 'secret', 'password', 'signature', 'privatekey'];

export function isSecretKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[-_]/g, '');
  return SECRET_KEYS.has(normalised) || SECRET_SUFFIXES.some((s) => normalised.endsWith(s));
}

const MAX_DEPTH = 12;

/**
 * Copies `value`, replacing the value of every secret-bearing key at any depth. Only plain
 * objects and arrays are walked: class instances (Errors, Dates, Buffers) are left for pino's
 * serializers, and the line scrubber still covers them.
 */
export function redactKeys(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return '[circular]';
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => redactKeys(item, depth + 1, seen));
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  seen.add(value);
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] =
      isSecretKey(key) && child !== undefined && child !== null
        ? REDACTED
        : redactKeys(child, depth + 1, seen);
  }
  return copy;
}

/**
 * Tokens we never configured but must never print: `Bearer <token>` / `Signature <sig>` header
 * values, JWT-shaped strings (Entra access tokens, JWT bearer assertions) and Salesforce session
 * ids (`<15-char org id>!<token>`), which is what a Salesforce access token looks like.
 */
const TOKEN_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Bearer|Signature)\s+[A-Za-z0-9\-._~+/!]+=*/g, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\b00D[A-Za-z0-9]{12}![A-Za-z0-9._]{20,}/g, REDACTED],
];

/**
 * Builds the last-resort scrubber for a serialised log line: every configured secret value, raw
 * and JSON-escaped (a PEM's newlines are `\n` inside a JSON string), plus token patterns.
 * Secrets shorter than 4 characters are skipped: replacing them would shred ordinary text.
 */
export function createLineScrubber(secrets: readonly string[]): (line: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first so a secret containing another secret is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (line) => {
    let out = line;
    for (const form of ordered) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    for (const [pattern, replacement] of TOKEN_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}
