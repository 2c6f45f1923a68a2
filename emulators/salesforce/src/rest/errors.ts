/**
 * A Salesforce REST error: serialised as `[{"message","errorCode","fields"}]` with an HTTP
 * status, as "Status Codes and Error Responses" documents.
 */
export class SalesforceError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = errorCode;
  }

  body(): Array<{ message: string; errorCode: string; fields?: string[] }> {
    const e: { message: string; errorCode: string; fields?: string[] } = {
      message: this.message,
      errorCode: this.errorCode,
    };
    if (this.fields.length || FIELD_ERRORS.has(this.errorCode)) e.fields = this.fields;
    return [e];
  }

  /** Per-record error in a collection answer, which uses `statusCode`. */
  collectionError(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields };
  }
}

const FIELD_ERRORS = new Set([
  'REQUIRED_FIELD_MISSING',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'MALFORMED_ID',
  'ENTITY_IS_DELETED',
  'STRING_TOO_LONG',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'DUPLICATE_VALUE',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_CROSS_REFERENCE_KEY',
  'FIELD_INTEGRITY_EXCEPTION',
]);

export const notFound = () =>
  new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidSession = () =>
  new SalesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const entityIsDeleted = () =>
  new SalesforceError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
