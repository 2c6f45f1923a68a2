import type { DescribeSObjectResult } from 'jsforce';
import type { Logger } from 'pino';
import { AccessDeniedError, PermanentError } from '../errors';
import { salesforceFieldsFor } from '../mapping/salesforce-fields';
import type { SalesforceConnection } from './connection';
import { INTEGRATION_PERMISSION_SET } from './salesforce-errors';

export type SchemaProblemKind = 'missing-object' | 'missing-field' | 'not-writable';

export interface SchemaProblem {
  kind: SchemaProblemKind;
  /** `Opportunity` or `Opportunity.Partner_Center_Referral_Id__c`. */
  name: string;
  /** What to deploy or assign. */
  fix: string;
}

export interface SchemaReport {
  ok: boolean;
  problems: SchemaProblem[];
  /** Whether Opportunity has CurrencyIsoCode (R3). */
  multiCurrency: boolean;
  /** Objects described successfully. */
  checkedObjects: string[];
}

/** Our package's names end in __c; a standard field that is missing means FLS, not deployment. */
const isPackageName = (name: string) => name.endsWith('__c');

function fixFor(kind: SchemaProblemKind, name: string): string {
  const grant = `assign the ${INTEGRATION_PERMISSION_SET} permission set to the bridge's integration user`;
  const [object = name] = name.split('.');
  if (kind === 'not-writable') return `${grant} (it grants edit on ${name})`;
  if (isPackageName(object) || isPackageName(name)) {
    return `deploy the Co-Sell Sync package (force-app) to the org, then ${grant}`;
  }
  return grant;
}

/**
 * For `cosell doctor` and `setup` (R2, R6, R15): describe every object the bridge touches, as the
 * integration user, and name each field it cannot see or write. Describe shows only the fields
 * the user's field-level security allows, so a missing field means "not deployed" or "not granted".
 */
export async function checkSchema(options: {
  salesforce: Pick<SalesforceConnection, 'run'>;
  countryField: string;
  logger: Logger;
}): Promise<SchemaReport> {
  const fields = salesforceFieldsFor(options.countryField);
  const objects = [
    ...new Set([...fields.read, ...fields.written].map((name) => name.split('.')[0]!)),
  ];
  const problems: SchemaProblem[] = [];
  const described = new Map<string, DescribeSObjectResult>();

  for (const object of objects) {
    try {
      described.set(
        object,
        await options.salesforce.run(`describe ${object}`, (conn) => conn.describe(object)),
      );
    } catch (error) {
      // Access problems on the describe itself are reported per object; others (network) stop the check.
      if (!(error instanceof PermanentError || error instanceof AccessDeniedError)) throw error;
      options.logger.debug({ object, err: error.message }, 'describe failed');
      problems.push({
        kind: 'missing-object',
        name: object,
        fix: fixFor('missing-object', object),
      });
    }
  }

  const fieldOf = (name: string) => {
    const [object, field] = name.split('.') as [string, string];
    return described.get(object)?.fields.find((f) => f.name.toLowerCase() === field.toLowerCase());
  };

  for (const name of fields.read) {
    if (!described.has(name.split('.')[0]!)) continue;
    if (!fieldOf(name))
      problems.push({ kind: 'missing-field', name, fix: fixFor('missing-field', name) });
  }
  for (const name of fields.written) {
    if (!described.has(name.split('.')[0]!)) continue;
    const field = fieldOf(name);
    if (!field) {
      if (!problems.some((p) => p.name === name))
        problems.push({ kind: 'missing-field', name, fix: fixFor('missing-field', name) });
    } else if (!field.updateable && !field.createable) {
      problems.push({ kind: 'not-writable', name, fix: fixFor('not-writable', name) });
    }
  }

  const multiCurrency =
    described.get('Opportunity')?.fields.some((f) => f.name === 'CurrencyIsoCode') ?? false;
  return {
    ok: problems.length === 0,
    problems,
    multiCurrency,
    checkedObjects: [...described.keys()],
  };
}
