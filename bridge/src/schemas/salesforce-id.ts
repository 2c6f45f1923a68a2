/**
 * Salesforce record ids come in two spellings: 15 characters (case-sensitive, what the UI shows
 * in URLs and reports) and 18 (the API's case-insensitive spelling with a 3-character checksum
 * suffix). The bridge stores and compares the 18-character form, so a 15-character id an operator
 * pastes must be converted, or it silently matches nothing.
 */

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function isSalesforceId(value: string): boolean {
  return SALESFORCE_ID.test(value);
}

/**
 * Opportunity is a standard object, so its key prefix (the first three characters of every id)
 * is 006 in every org: an account or contact id pasted by mistake is told apart without a query.
 */
export const OPPORTUNITY_KEY_PREFIX = '006';

export function isOpportunityId(value: string): boolean {
  return isSalesforceId(value) && value.startsWith(OPPORTUNITY_KEY_PREFIX);
}

/**
 * The 18-character id for a 15- or 18-character one (anything else is returned unchanged). Each
 * suffix character encodes which of five id characters are upper case, one bit per character.
 */
export function toSalesforceId18(id: string): string {
  if (!/^[a-zA-Z0-9]{15}$/.test(id)) return id;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const char = id.charAt(chunk * 5 + i);
      if (char >= 'A' && char <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return id + suffix;
}
