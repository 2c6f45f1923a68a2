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

// A GraphQL literal for an input value: strings as quoted (JSON escaping is valid GraphQL),
// null for a cleared field. Values are ids and picklist API values, never free text.
function literal(value) {
  return value === null || value === undefined ? 'null' : JSON.stringify(String(value));
}

function inputObject(fields) {
  return `{ ${Object.entries(fields)
    .map(([name, value]) => `${name}: ${literal(value)}`)
    .join(', ')} }`;
}

/**
 * One GraphQL mutation (lightning/graphql executeMutation) that saves the whole details form in
 * a single all-or-none transaction: solution links created first, the opportunity's fields
 * updated, dropped links deleted last, so a synced opportunity never passes through "no
 * solution" (its validation rule runs per operation) and a failure leaves nothing half saved.
 * @param {{recordId: string, fieldChanges: Record<string, *>, toCreate: string[],
 *   toDelete: string[], names: {opportunity: string, junction: string,
 *   junctionOpportunity: string, junctionSolution: string}}} input object and field API names
 * @returns {string|undefined} the mutation text, or undefined when there is nothing to save
 */
export function buildSaveMutation({ recordId, fieldChanges, toCreate, toDelete, names }) {
  const operations = [
    ...toCreate.map(
      (solutionId, i) =>
        `link${i}: ${names.junction}Create(input: { ${names.junction}: ${inputObject({
          [names.junctionOpportunity]: recordId,
          [names.junctionSolution]: solutionId,
        })} }) { Record { Id } }`,
    ),
    ...(Object.keys(fieldChanges).length > 0
      ? [
          `opportunity: ${names.opportunity}Update(input: { Id: ${literal(recordId)}, ${
            names.opportunity
          }: ${inputObject(fieldChanges)} }) { success }`,
        ]
      : []),
    ...toDelete.map(
      (rowId, i) => `unlink${i}: ${names.junction}Delete(input: { Id: ${literal(rowId)} }) { Id }`,
    ),
  ];
  if (operations.length === 0) return undefined;
  return `mutation coSellSaveDetails {\n  uiapi(input: { allOrNone: true }) {\n${operations
    .map((operation) => `    ${operation}`)
    .join('\n')}\n  }\n}`;
}
