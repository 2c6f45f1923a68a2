import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configurationReference, VARIABLE_NAMES } from '../../src/config';

const README = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

/** Table rows as trimmed cells, so Prettier's column padding does not matter. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.trim().startsWith('|') && !/^\|[\s|:-]+\|$/.test(line.trim()))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('README.md', () => {
  it('the Configuration table is exactly the one generated from config/variables.ts', () => {
    const configuration = section('Configuration');
    const begin = configuration.indexOf('<!-- BEGIN configuration table');
    const end = configuration.indexOf('<!-- END configuration table -->');
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(begin);
    const inReadme = tableRows(configuration.slice(begin, end));
    const generated = tableRows(configurationReference());
    expect(inReadme).toEqual(generated);
    // Every variable the bridge reads is documented, each once.
    const documented = inReadme.slice(1).map((row) => row[0]!.replaceAll('`', ''));
    expect([...documented].sort()).toEqual([...VARIABLE_NAMES].sort());
  });

  it('the Operations section documents every cosell command, with sample output', () => {
    const operations = section('Operations');
    for (const command of [
      'cosell run',
      'cosell setup',
      'cosell doctor',
      'cosell status',
      'cosell explain',
      'cosell failures list',
      'failures retry',
      'cosell resync',
      'cosell webhook register',
      'cosell solutions import',
    ]) {
      expect(operations).toContain(command);
    }
    expect(operations).toContain('```text\n$ npx cosell doctor');
    expect(operations).toMatch(/✗ .*\n {4}fix: /);
  });

  it('the Field mapping section links the generated mapping document', () => {
    expect(section('Field mapping')).toContain('[docs/FIELD-MAPPING.md](docs/FIELD-MAPPING.md)');
  });
});
