/**
 * Stable serialisation for idempotency keys and "did anything change" checks: object keys sorted,
 * undefined dropped, so the same logical payload always yields the same string. Hashing is left to
 * the caller (node:crypto is I/O-free but keeps this module dependency-free).
 */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') {
    return typeof value === 'number' && !Number.isFinite(value) ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const record = value as Record<string, unknown>;
  const entries = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(record[k])}`);
  return `{${entries.join(',')}}`;
}

/** The fingerprint of a desired referral state or create body: hash input for idempotency keys. */
export function fingerprint(desired: unknown): string {
  return stableStringify(desired);
}
