// Finds the SOQL the bridge sends and the fields each query names, so the metadata test can hold
// every queried field against SALESFORCE_FIELDS (R2: the permission set is derived from that list,
// so a queried field missing from it is a field the integration user may not be able to read).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface SoqlQuery {
  /** Where it was found, e.g. `bridge/src/salesforce/inbound-records.ts`. */
  source: string;
  /** The query with every `${…}` interpolation replaced by `?`. */
  text: string;
}

/** A field a query names, on the object the query reads (a path may cross relationships). */
export interface QueriedField {
  source: string;
  object: string;
  path: string;
}

const SOQL_KEYWORDS = new Set(
  ['AND', 'OR', 'NOT', 'IN', 'LIKE', 'INCLUDES', 'EXCLUDES', 'TRUE', 'FALSE', 'NULL'].concat([
    'ASC',
    'DESC',
    'NULLS',
    'FIRST',
    'LAST',
    'LIMIT',
    'OFFSET',
  ]),
);

/** The store speaks SQL to SQLite, not SOQL to Salesforce. */
const NOT_SALESFORCE = new Set(['store']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return NOT_SALESFORCE.has(name) ? [] : sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/**
 * Every string or template literal in `srcDir` (but the SQLite store) that holds a SELECT … FROM query. Interpolations
 * become `?`: they are values (soqlString, ids) or, where a field name is interpolated, the caller
 * checks that builder by calling it (see the metadata test).
 */
export function findSoqlLiterals(srcDir: string, root: string): SoqlQuery[] {
  const literal = /`(?:[^`\\]|\\.|\$\{(?:[^{}]|\{[^{}]*\})*\})*`|'(?:[^'\\\n]|\\.)*'/g;
  const queries: SoqlQuery[] = [];
  for (const file of sourceFiles(srcDir)) {
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(literal)) {
      const body = match[0].slice(1, -1).replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, '?');
      // A sub-select kept in its own constant is checked inside the query that embeds it.
      if (body.trim().startsWith('(')) continue;
      if (/\bSELECT\b[\s\S]+\bFROM\s+[A-Za-z_]/.test(body)) {
        queries.push({ source: path.relative(root, file), text: body });
      }
    }
  }
  return queries;
}

/** Splits on commas outside parentheses. */
function topLevelList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** Index of a keyword outside parentheses (a sub-select has its own FROM), or -1. */
function topLevelKeyword(text: string, keyword: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')') depth -= 1;
    else if (
      depth === 0 &&
      new RegExp(`^\\b${keyword}\\b`, 'i').test(text.slice(i)) &&
      /\W/.test(text[i - 1] ?? ' ')
    )
      return i;
  }
  return -1;
}

/** The identifiers of a WHERE or ORDER BY clause: field paths, without keywords and values. */
function clauseIdentifiers(clause: string): string[] {
  const withoutStrings = clause
    .replace(/'(?:[^'\\]|\\.)*'/g, ' ')
    // date and date-time literals (2026-01-01, 2026-01-01T00:00:00Z) are values, not fields
    .replace(/\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2}))?/g, ' ');
  return [...withoutStrings.matchAll(/[A-Za-z_][A-Za-z0-9_.]*/g)]
    .map((m) => m[0])
    .filter((word) => !SOQL_KEYWORDS.has(word.toUpperCase()));
}

/**
 * The fields one query names: its SELECT list, WHERE and ORDER BY. A parenthesised sub-select
 * reads a child relationship; `childObject` maps `Parent.Relationship__r` to the child object.
 */
export function queriedFields(
  query: SoqlQuery,
  childObject: (parent: string, relationship: string) => string | undefined,
  parent?: string,
): QueriedField[] {
  const fromAt = topLevelKeyword(query.text, 'FROM');
  const shape = /^\s*([A-Za-z_][A-Za-z0-9_]*)([\s\S]*?)(?:\s+LIMIT\s+[\s\S]*)?$/i.exec(
    query.text.slice(fromAt + 'FROM'.length),
  );
  const selectList = /^\s*SELECT\s+([\s\S]*)$/i.exec(query.text.slice(0, fromAt))?.[1];
  if (fromAt < 0 || !shape || !selectList)
    throw new Error(`cannot read the SOQL in ${query.source}: ${query.text}`);
  const [, from = '', rest = ''] = shape;
  const object = parent ? childObject(parent, from) : from;
  if (!object) throw new Error(`${query.source}: unknown child relationship ${parent}.${from}`);
  const fields: QueriedField[] = [];
  for (const item of topLevelList(selectList)) {
    if (item.startsWith('(')) {
      fields.push(
        ...queriedFields({ source: query.source, text: item.slice(1, -1) }, childObject, object),
      );
    } else if (item !== '?') {
      fields.push({ source: query.source, object, path: item });
    }
  }
  const where = /\bWHERE\b([\s\S]*?)(?=\bORDER\s+BY\b|$)/i.exec(rest)?.[1] ?? '';
  const orderBy = /\bORDER\s+BY\b([\s\S]*)$/i.exec(rest)?.[1] ?? '';
  for (const identifier of [...clauseIdentifiers(where), ...clauseIdentifiers(orderBy)]) {
    fields.push({ source: query.source, object, path: identifier });
  }
  return fields;
}
