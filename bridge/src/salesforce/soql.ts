/**
 * SOQL literals for values that come from outside (referral names, emails, ids). Quoting follows
 * the SOQL reserved-character rules: backslash-escape `\`, `'`, `"` and line breaks.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm
 */
export function soqlString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `'${escaped}'`;
}

/** `= 'x'`, or `= null` for a missing value (SOQL compares with null using `=`). */
export function soqlEquals(value: string | null): string {
  return value === null ? '= null' : `= ${soqlString(value)}`;
}

/** SOQL dateTime literal: unquoted, UTC, whole seconds. */
export function soqlDateTime(value: Date): string {
  return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
