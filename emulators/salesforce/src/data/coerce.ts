import { parseDateTime, restDateTime } from '../clock';
import { SalesforceError } from '../rest/errors';
import type { FieldDef } from '../schema/types';
import { normalizeId } from './ids';

const jsonError = (f: FieldDef, value: unknown) =>
  new SalesforceError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${f.type} from ${typeof value} value ${String(value)} or request may be missing a required field`,
  );

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Turns a JSON value from a request into the stored form of `f`, or throws the error
 * Salesforce answers for it (JSON_PARSER_ERROR, STRING_TOO_LONG, restricted picklists, ids).
 */
export function coerceFieldValue(f: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined || value === '') {
    return f.type === 'boolean' ? false : null;
  }
  switch (f.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw jsonError(f, value);
    case 'currency':
    case 'double':
    case 'percent':
    case 'int': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw jsonError(f, value);
      return f.type === 'int' ? Math.trunc(n) : n;
    }
    case 'date': {
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw jsonError(f, value);
      const day = value.slice(0, 10);
      if (Number.isNaN(Date.parse(day))) throw jsonError(f, value);
      return day;
    }
    case 'datetime': {
      const ms = typeof value === 'string' ? parseDateTime(value) : NaN;
      if (Number.isNaN(ms)) throw jsonError(f, value);
      return restDateTime(ms);
    }
    case 'reference':
    case 'id': {
      const id = typeof value === 'string' ? normalizeId(value) : undefined;
      if (!id) {
        throw new SalesforceError(
          400,
          'MALFORMED_ID',
          `${f.label}: id value of incorrect type: ${String(value)}`,
          [f.name],
        );
      }
      return id;
    }
    default: {
      if (typeof value === 'object') throw jsonError(f, value);
      const s = String(value);
      if (f.length && s.length > f.length) {
        throw new SalesforceError(
          400,
          'STRING_TOO_LONG',
          `${f.label}: data value too large: ${s.slice(0, 60)} (max length=${f.length})`,
          [f.name],
        );
      }
      if (f.type === 'picklist' && f.restrictedPicklist) {
        const ok = f.picklistValues?.some((p) => p.active && p.value === s);
        if (!ok) {
          throw new SalesforceError(
            400,
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${f.label}: bad value for restricted picklist field: ${s}`,
            [f.name],
          );
        }
      }
      if (f.type === 'email' && !EMAIL.test(s)) {
        throw new SalesforceError(
          400,
          'INVALID_EMAIL_ADDRESS',
          `${f.label}: invalid email address: ${s}`,
          [f.name],
        );
      }
      return s;
    }
  }
}
