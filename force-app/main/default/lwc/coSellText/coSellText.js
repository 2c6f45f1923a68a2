/**
 * Fills a custom label's {0}, {1}, … placeholders. Labels carry placeholders instead of being
 * concatenated in code so a translator can move the value within the sentence.
 * @param {string} template a label value such as "Referral {0}"
 * @param {...*} values the placeholder values, in order
 * @returns {string}
 */
export function formatLabel(template, ...values) {
  return String(template).replace(/\{(\d+)\}/g, (match, index) => {
    const position = Number(index);
    return position < values.length ? String(values[position] ?? '') : match;
  });
}
