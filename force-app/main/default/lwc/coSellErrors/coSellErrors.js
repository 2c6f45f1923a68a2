/**
 * Turns whatever a UI API call, wire or GraphQL wire reports as an error into readable messages.
 * Validation-rule failures arrive as body.output.errors / fieldErrors; GraphQL as [{message}].
 */

function messagesOf(error) {
  if (!error) return [];
  if (typeof error === 'string') return [error];
  if (Array.isArray(error)) return error.flatMap(messagesOf);
  const body = error.body;
  if (Array.isArray(body)) return body.flatMap(messagesOf);
  if (body && typeof body === 'object') {
    const output = body.output;
    if (output) {
      const pageErrors = (output.errors || []).map((e) => e.message);
      const fieldErrors = Object.values(output.fieldErrors || {})
        .flat()
        .map((e) => e.message);
      const all = [...pageErrors, ...fieldErrors].filter(Boolean);
      if (all.length > 0) return all;
    }
    if (typeof body.message === 'string') return [body.message];
  }
  if (typeof error.message === 'string') return [error.message];
  if (typeof error.statusText === 'string') return [error.statusText];
  return [];
}

/**
 * @param {*} errors one error or an array of them
 * @returns {string[]} distinct, non-empty messages; ["Unknown error"] when nothing readable is found
 */
export function reduceErrors(errors) {
  const messages = [...new Set(messagesOf(errors).filter((m) => m && m.trim()))];
  return messages.length > 0 ? messages : ['Unknown error'];
}
