/** Small pure text helpers shared by the mappers. */

/**
 * Cuts `value` to at most `max` UTF-16 code units without splitting a surrogate pair or a
 * combining sequence, so what we send is always valid Unicode. Returns whether it cut.
 */
export function truncate(value: string, max: number): { text: string; truncated: boolean } {
  if (value.length <= max) return { text: value, truncated: false };
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let text = '';
  for (const { segment } of segmenter.segment(value)) {
    if (text.length + segment.length > max) break;
    text += segment;
  }
  return { text, truncated: true };
}

/** Trimmed string, or null when nothing is left. */
export function nonBlank(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** 'Account.BillingCountry' → 'Account Billing Country'; 'Account.Country_Code__c' → 'Account Country Code'. */
export function fieldLabel(qualifiedField: string): string {
  return qualifiedField
    .replace(/__c$/i, '')
    .replace(/[._]/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "Ada King Lovelace" → { firstName: 'Ada King', lastName: 'Lovelace' }. */
export function splitName(fullName: string | null | undefined): {
  firstName: string;
  lastName: string;
} {
  const name = nonBlank(fullName);
  if (name === null) return { firstName: '', lastName: '' };
  const at = name.lastIndexOf(' ');
  return at < 0
    ? { firstName: '', lastName: name }
    : { firstName: name.slice(0, at).trim(), lastName: name.slice(at + 1) };
}

/** Loose email shape check: enough to catch blanks and typos before Partner Center does. */
export function isEmail(value: string | null | undefined): value is string {
  return typeof value === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value.trim());
}
