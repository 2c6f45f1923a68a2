// The naming rules of metadata components (developer names, namespaces, the suffixes Salesforce
// assigns), in Salesforce's words. Separate because they apply to every component before any
// per-type check, and need nothing but the component's name.
import type { Component } from './components';

/** The suffixes Salesforce itself puts on custom names, per kind of name. */
const OBJECT_SUFFIX = /__(c|e|mdt|x|b)$/;
const FIELD_SUFFIX = /__c$/;
const NO_SUFFIX = /$^/;
const DEVELOPER_NAME = /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/;

/**
 * A developer name: letters, digits and single underscores, starting with a letter and not
 * ending with one. Two underscores in a row mark a namespace prefix (`ns__Name`), so outside
 * the suffix Salesforce assigns (`__c`, `__e`, …) they name a namespace this org does not own.
 */
function developerNameProblem(
  name: string,
  label: string,
  suffix: RegExp = NO_SUFFIX,
): string | undefined {
  const base = name.replace(suffix, '');
  const dunder = base.indexOf('__');
  if (dunder > 0) {
    return `Cannot create a new component with the namespace: ${base.slice(0, dunder)}. Only components in the same namespace as the organization can be created through the API`;
  }
  if (!DEVELOPER_NAME.test(base)) {
    return `The ${label} can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.`;
  }
  return undefined;
}

export function nameProblem(c: Component): string | undefined {
  const [head = '', tail = ''] = c.fullName.split('.');
  switch (c.type) {
    case 'CustomObject':
      return developerNameProblem(c.fullName, 'object name', OBJECT_SUFFIX);
    case 'CustomField':
      return (
        developerNameProblem(head, 'object name', OBJECT_SUFFIX) ??
        developerNameProblem(tail, 'field name', FIELD_SUFFIX)
      );
    case 'CustomTab':
      return developerNameProblem(c.fullName, 'tab name', OBJECT_SUFFIX);
    case 'ValidationRule':
    case 'ListView':
    case 'RecordType':
    case 'CompactLayout':
    case 'WebLink':
    case 'FieldSet':
      return (
        developerNameProblem(head, 'object name', OBJECT_SUFFIX) ??
        developerNameProblem(tail, `${c.type} name`)
      );
    case 'Layout': {
      const object = c.fullName.split('-')[0] ?? '';
      return developerNameProblem(object, 'object name', OBJECT_SUFFIX);
    }
    case 'CustomMetadata':
      // `<Type without __mdt>.<Record>`: both halves are developer names.
      return (
        developerNameProblem(head, 'custom metadata type name') ??
        developerNameProblem(tail, 'record name')
      );
    case 'LightningComponentBundle':
      return /^[a-z]/.test(c.fullName)
        ? developerNameProblem(c.fullName, 'component name')
        : 'The component name must begin with a lowercase letter.';
    default:
      return developerNameProblem(c.fullName, `${c.type} name`);
  }
}
