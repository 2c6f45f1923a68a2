import { parse } from 'csv-parse/sync';

/**
 * Pure: the Partner Center solutions export (CSV) → rows to upsert into Microsoft_Solution__c by
 * Solution_Id__c (R17), and the rows that cannot be imported, each with its line number.
 * Microsoft publishes no API listing a partner's co-sell-ready solutions, so admins export them
 * from Partner Center; the export's header wording varies, hence the tolerant column match.
 */

export interface SolutionCsvRow {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  solutionId: string;
  name: string;
}

export interface InvalidSolutionRow {
  line: number;
  reason: string;
}

export interface ParsedSolutions {
  rows: SolutionCsvRow[];
  invalid: InvalidSolutionRow[];
}

/** Header spellings seen in exports and hand-made files, normalised (lower case, letters/digits). */
const ID_HEADERS = new Set(['id', 'solutionid', 'solutionidc', 'solution', 'offerid']);
const NAME_HEADERS = new Set(['name', 'solutionname', 'title', 'solutiontitle', 'offername']);

/** Microsoft_Solution__c.Name is a standard Name field: 80 characters. */
export const SOLUTION_NAME_MAX = 80;
const SOLUTION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

const normalise = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

export class SolutionsCsvError extends Error {}

export function parseSolutionsCsv(text: string): ParsedSolutions {
  let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    // With `info: true` csv-parse returns {record, info} objects; its typings do not say so.
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new SolutionsCsvError(
      `the file is not valid CSV: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const [header, ...data] = records;
  if (!header) throw new SolutionsCsvError('the file is empty: expected a header row id,name');
  const columns = header.record.map(normalise);
  const idColumn = columns.findIndex((c) => ID_HEADERS.has(c));
  const nameColumn = columns.findIndex((c) => NAME_HEADERS.has(c));
  if (idColumn < 0 || nameColumn < 0) {
    // European Excel saves "CSV" with semicolons (the comma is their decimal separator).
    const other = header.record.length === 1 ? otherDelimiter(header.record[0] ?? '') : undefined;
    if (other) {
      throw new SolutionsCsvError(
        `the header row "${header.record[0]}" is separated by ${other}, not commas: save the file as comma-separated CSV (in Excel: "CSV UTF-8 (Comma delimited)") and import it again`,
      );
    }
    throw new SolutionsCsvError(
      `the header row must name an id and a name column (e.g. "id,name" or "Solution ID,Solution name"), got "${header.record.join(',')}"`,
    );
  }

  const rows: SolutionCsvRow[] = [];
  const invalid: InvalidSolutionRow[] = [];
  const seen = new Map<string, number>();
  // info.lines is where a record ENDS; a quoted name may span lines, so derive where it starts.
  let previousEnd = header.info.lines;
  let previousEmpty = header.info.empty_lines;
  for (const { record, info } of data) {
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
    const solutionId = record[idColumn] ?? '';
    const name = record[nameColumn] ?? '';
    if (solutionId === '') {
      invalid.push({ line, reason: 'the solution id is empty' });
    } else if (!SOLUTION_ID.test(solutionId)) {
      invalid.push({
        line,
        reason: `"${solutionId}" is not a solution id (letters, digits, dot, dash, underscore)`,
      });
    } else if (name === '') {
      invalid.push({ line, reason: `the name of ${solutionId} is empty` });
    } else if (name.length > SOLUTION_NAME_MAX) {
      invalid.push({
        line,
        reason: `the name of ${solutionId} is longer than ${SOLUTION_NAME_MAX} characters`,
      });
    } else if (seen.has(solutionId.toLowerCase())) {
      invalid.push({
        line,
        reason: `${solutionId} repeats line ${seen.get(solutionId.toLowerCase())}`,
      });
    } else {
      seen.set(solutionId.toLowerCase(), line);
      rows.push({ line, solutionId, name });
    }
  }
  return { rows, invalid };
}

/** The delimiter a one-column header was really written with, when it is a common other one. */
function otherDelimiter(header: string): string | undefined {
  if (header.includes(';')) return 'semicolons';
  if (header.includes('\t')) return 'tabs';
  if (header.includes('|')) return 'vertical bars';
  return undefined;
}
