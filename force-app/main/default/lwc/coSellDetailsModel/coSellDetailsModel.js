/**
 * Pure logic of the co-sell details editor: the suggested referral currency (R3) and the
 * row changes that turn a picked set of solutions into Co_Sell_Solution__c creates/deletes.
 */

/**
 * The currency to preselect when Referral_Currency__c is blank: the opportunity currency
 * (multi-currency orgs), else the user's currency, provided the picklist offers it.
 * @param {{stored?: string, opportunityCurrency?: string, userCurrency?: string, allowed: string[]}} input
 * @returns {{value: string|undefined, source: 'stored'|'opportunity'|'user'|'none'}}
 */
export function suggestReferralCurrency({ stored, opportunityCurrency, userCurrency, allowed }) {
  if (stored) return { value: stored, source: 'stored' };
  const offered = new Set(allowed || []);
  if (opportunityCurrency && offered.has(opportunityCurrency)) {
    return { value: opportunityCurrency, source: 'opportunity' };
  }
  if (userCurrency && offered.has(userCurrency)) {
    return { value: userCurrency, source: 'user' };
  }
  return { value: undefined, source: 'none' };
}

/**
 * @param {Array<{id: string, solutionId: string}>} rows existing Co_Sell_Solution__c rows
 * @param {string[]} selectedSolutionIds Microsoft_Solution__c ids the seller picked
 * @returns {{toCreate: string[], toDelete: string[]}} solution ids to link, row ids to delete.
 *   Duplicate rows for one solution are cleaned up (all but the first are deleted).
 */
export function diffSolutions(rows, selectedSolutionIds) {
  const selected = new Set(selectedSolutionIds);
  const kept = new Set();
  const toDelete = [];
  for (const row of rows) {
    if (selected.has(row.solutionId) && !kept.has(row.solutionId)) {
      kept.add(row.solutionId);
    } else {
      toDelete.push(row.id);
    }
  }
  const toCreate = [...selected].filter((solutionId) => !kept.has(solutionId));
  return { toCreate, toDelete };
}
