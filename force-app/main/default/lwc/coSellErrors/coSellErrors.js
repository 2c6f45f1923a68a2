/**
 * Turns whatever a UI API call, wire, GraphQL wire or mutation reports as an error into readable
 * messages. Shapes handled (body = error.body):
 * - UI API reads: body is an array of {message};
 * - UI API writes refused by a validation rule or trigger: body.output.errors (page level) and
 *   body.output.fieldErrors ({FieldName: [{message}]});
 * - record-level DML errors as Lightning reports them: body.pageErrors and body.fieldErrors;
 * - GraphQL (wire or executeMutation): an array of {message};
 * - network and JavaScript errors: body.message, message, statusText.
 */
import UNKNOWN_ERROR from '@salesforce/label/c.CoSell_Unknown_Error';

/** Page-level messages first, then every field's, in the order Salesforce listed them. */
function fromErrorSets(pageErrors, fieldErrors) {
  const page = Array.isArray(pageErrors) ? pageErrors.map((e) => e?.message) : [];
  const fields =
    fieldErrors && typeof fieldErrors === 'object'
      ? Object.values(fieldErrors)
          .flat()
          .map((e) => e?.message)
      : [];
  return [...page, ...fields].filter((m) => typeof m === 'string');
}

function messagesOf(error) {
  if (!error) return [];
  if (typeof error === 'string') return [error];
  if (Array.isArray(error)) return error.flatMap(messagesOf);
  const body = error.body;
  if (Array.isArray(body)) return body.flatMap(messagesOf);
  if (body && typeof body === 'object') {
    const detailed = [
      ...fromErrorSets(body.output?.errors, body.output?.fieldErrors),
      ...fromErrorSets(body.pageErrors, body.fieldErrors),
    ];
    if (detailed.length > 0) return detailed;
    if (typeof body.message === 'string') return [body.message];
  }
  if (typeof error.message === 'string') return [error.message];
  if (typeof error.statusText === 'string') return [error.statusText];
  return [];
}

/**
 * @param {*} errors one error or an array of them
 * @returns {string[]} distinct, non-empty messages; the "Unknown error" label when nothing
 *   readable is found
 */
export function reduceErrors(errors) {
  const messages = [...new Set(messagesOf(errors).filter((m) => m && m.trim()))];
  return messages.length > 0 ? messages : [UNKNOWN_ERROR];
}
