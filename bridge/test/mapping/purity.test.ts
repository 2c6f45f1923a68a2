import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// mapping/ and schemas/ are pure by contract: no I/O modules, no clock, no environment. This keeps
// them testable alone and lets sync/ decide when and how anything happens.
const FOLDERS = ['../../src/mapping', '../../src/schemas'].map((f) => join(__dirname, f));
const FORBIDDEN = [
  /from '(node:)?(fs|http|https|net|child_process|crypto|os|path)'/,
  /from '(jsforce|express|pino|prom-client)'/,
  /from '\.\.\/(salesforce|partner-center|webhook|store|config|sync|server|cli|log|metrics)/,
  /Date\.now\(/,
  /new Date\(\)/,
  /\bprocess\.(env|exit|argv|cwd|hrtime|uptime)\b/,
  /Math\.random\(/,
];

describe('pure modules', () => {
  const files = FOLDERS.flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)));

  it.each(files.map((f) => [f.split('/src/')[1]!, f]))(
    '%s does no I/O and reads no clock',
    (_name, file) => {
      const source = readFileSync(file, 'utf8');
      for (const pattern of FORBIDDEN) expect(source).not.toMatch(pattern);
    },
  );
});
