import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createSalesforceWriter } from '../../salesforce';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Session } from '../session';
import { parseSolutionsCsv, SolutionsCsvError } from '../solutions-csv';
import { UsageError } from '../usage-error';

/**
 * R17: upsert the Partner Center solutions export into Microsoft_Solution__c by Solution_Id__c,
 * 200 rows per composite call. Rows that cannot be imported are reported with their line numbers;
 * the valid rows are imported anyway (re-running the same file is harmless: upsert).
 */
export async function solutionsImportCommand(session: Session, file: string): Promise<ExitCode> {
  const path = resolve(session.io.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // The code alone ("ENOENT") told an admin nothing about what to do.
    throw new UsageError(
      `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}): give the path of the solutions CSV exported from Partner Center, readable by the user running cosell (a relative path starts in the working directory)`,
    );
  }
  let parsed;
  try {
    parsed = parseSolutionsCsv(text);
  } catch (error) {
    if (error instanceof SolutionsCsvError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }

  const { runtime } = session.bridge();
  const created: { line: number; solutionId: string }[] = [];
  const updated: { line: number; solutionId: string }[] = [];
  const invalid = parsed.invalid.map((row) => ({ ...row }));
  if (parsed.rows.length > 0) {
    await runtime.salesforce.authorize();
    const writer = createSalesforceWriter({
      salesforce: runtime.salesforce,
      logger: session.logger,
    });
    const results = await writer.upsertSolutions(
      parsed.rows.map((row) => ({ solutionId: row.solutionId, name: row.name, isActive: true })),
    );
    results.forEach((result, index) => {
      const row = parsed.rows[index]!;
      if (!result.success)
        invalid.push({
          line: row.line,
          reason: `Salesforce refused ${row.solutionId}: ${result.error ?? 'unknown error'}`,
        });
      else if (result.created) created.push({ line: row.line, solutionId: row.solutionId });
      else updated.push({ line: row.line, solutionId: row.solutionId });
    });
  }
  invalid.sort((a, b) => a.line - b.line);

  session.out.json({ file: path, created, updated, invalid });
  session.out.line(
    `${file}: ${created.length} created, ${updated.length} updated, ${invalid.length} not imported`,
  );
  for (const row of invalid) session.out.line(`  line ${row.line}: ${row.reason}`);
  return invalid.length === 0 ? EXIT.ok : EXIT.failed;
}
