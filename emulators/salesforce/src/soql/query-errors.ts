// The REST query errors of SOQL, in Salesforce's words (status, errorCode, the caret message).
// Separate so that path resolution, WHERE compilation and the engine raise the same bodies.
import { SalesforceError } from '../rest/errors';

export const malformed = (soql: string, message: string) =>
  new SalesforceError(400, 'MALFORMED_QUERY', `\n${soql}\n^\nERROR at Row:1:Column:1\n${message}`);

export const invalidField = (soql: string, name: string, obj: string) =>
  new SalesforceError(
    400,
    'INVALID_FIELD',
    `\n${soql}\n^\nERROR at Row:1:Column:1\nNo such column '${name}' on entity '${obj}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const badRelationship = (soql: string, rel: string) =>
  new SalesforceError(
    400,
    'INVALID_FIELD',
    `\n${soql}\n^\nERROR at Row:1:Column:1\nDidn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const invalidType = (soql: string, name: string) =>
  new SalesforceError(
    400,
    'INVALID_TYPE',
    `\n${soql}\n^\nERROR at Row:1:Column:1\nsObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
