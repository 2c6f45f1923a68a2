// Lints sources that are not on disk with the project's ESLint configuration, as if each were the
// file it names: stdin is JSON [{ file, source }], stdout is JSON [[{ ruleId, message }]].
// A separate process because jest's module sandbox cannot load the ESM config file.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });
const cases = JSON.parse(await text(process.stdin));
const results = [];
for (const { file, source } of cases) {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) });
  results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(results));
