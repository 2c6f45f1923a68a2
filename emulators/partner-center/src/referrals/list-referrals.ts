import { instantKey } from '../timestamps';
import type { FieldIssue } from './api-error';
import { FilterSyntaxError, parseFilter, type Filter } from './odata-filter';

/**
 * Query options of `GET /v1.0/engagements/referrals` (get-a-list-of-referrals and the connector
 * definition): `$filter`, `$orderby` (createdDateTime or updatedDateTime, asc|desc), `$top` (the
 * total number of referrals to retrieve, default all: not a page size), `$skip`, `$select`, and
 * the `$skiptoken` this emulator puts in `@odata.nextLink`. The page size is the server's. Pure.
 */
export interface ListQuery {
  filter?: Filter;
  orderBy: { field: 'createdDateTime' | 'updatedDateTime'; descending: boolean };
  /** Referrals to retrieve in total over all pages (undefined: all). */
  top?: number;
  /** Referrals skipped before the first one retrieved (`$skip`). */
  skip: number;
  /** Position of this page's first referral among the matches (`$skiptoken`, else `$skip`). */
  offset: number;
  pageSize: number;
  select?: string[];
  raw: Record<string, string>;
}

/** Referrals per page when the client does not ask for fewer (server-chosen, as Microsoft's). */
export const DEFAULT_PAGE_SIZE = 100;
const INT32_MAX = 2_147_483_647;

export function parseListQuery(
  query: Record<string, unknown>,
  pageSize = DEFAULT_PAGE_SIZE,
): ListQuery | FieldIssue[] {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string') raw[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') raw[key] = value[0];
  }
  const issues: FieldIssue[] = [];
  let filter: Filter | undefined;
  if (raw.$filter !== undefined && raw.$filter.trim() !== '') {
    try {
      filter = parseFilter(raw.$filter);
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      issues.push({
        target: '$filter',
        message: `The query specified in the URI is not valid. ${error.message}`,
      });
    }
  }
  let orderBy: ListQuery['orderBy'] = { field: 'createdDateTime', descending: false };
  if (raw.$orderby !== undefined) {
    const m = /^\s*(createdDateTime|updatedDateTime)(\s+(asc|desc))?\s*$/i.exec(raw.$orderby);
    if (!m) {
      issues.push({
        target: '$orderby',
        message: `Ordering by '${raw.$orderby}' is not supported; use createdDateTime or updatedDateTime, asc or desc.`,
      });
    } else {
      const field =
        (m[1] as string).toLowerCase() === 'updateddatetime'
          ? 'updatedDateTime'
          : 'createdDateTime';
      orderBy = { field, descending: (m[3] ?? '').toLowerCase() === 'desc' };
    }
  }
  const top =
    raw.$top === undefined ? undefined : integer(raw.$top, 0, '$top', issues, 0, INT32_MAX);
  const skip = integer(raw.$skip, 0, '$skip', issues, 0, INT32_MAX);
  let offset = skip;
  if (raw.$skiptoken !== undefined) {
    const decoded = Number(
      Buffer.from(raw.$skiptoken, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0)
      issues.push({ target: '$skiptoken', message: 'The $skiptoken is not valid.' });
    else offset = decoded;
  }
  const select = raw.$select
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (issues.length > 0) return issues;
  return { filter, orderBy, top, skip, offset, pageSize, select, raw };
}

function integer(
  value: string | undefined,
  fallback: number,
  name: string,
  issues: FieldIssue[],
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    issues.push({ target: name, message: `${name} must be an integer between ${min} and ${max}.` });
    return fallback;
  }
  return n;
}

export interface ListPage<T> {
  items: T[];
  count: number;
  /** Offset of the next page, when there is one. */
  nextOffset?: number;
}

export function selectPage<T extends Record<string, unknown>>(
  all: T[],
  query: ListQuery,
): ListPage<Record<string, unknown>> {
  const matching = query.filter ? all.filter(query.filter) : [...all];
  const { field, descending } = query.orderBy;
  // Stable: equal timestamps keep insertion order, so paging never repeats or skips.
  const sorted = matching
    .map((item, index) => ({ item, index }))
    .sort((a, b) => {
      const x = instantKey(a.item[field]) ?? '';
      const y = instantKey(b.item[field]) ?? '';
      const diff = x < y ? -1 : x > y ? 1 : 0;
      return (descending ? -diff : diff) || a.index - b.index;
    })
    .map((e) => e.item);
  // `$top` caps the whole listing, counted from `$skip`; a next link never leads past it.
  const end = Math.min(sorted.length, query.top === undefined ? Infinity : query.skip + query.top);
  const pageEnd = Math.min(end, query.offset + query.pageSize);
  const page = sorted.slice(query.offset, pageEnd);
  const projected = query.select
    ? page.map((item) => project(item, query.select as string[]))
    : page;
  return {
    items: projected,
    count: matching.length,
    nextOffset: pageEnd < end ? pageEnd : undefined,
  };
}

function project(item: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const key = Object.keys(item).find((k) => k.toLowerCase() === field.toLowerCase());
    if (key !== undefined) out[key] = item[key];
  }
  return out;
}

export function skipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}
