// docs/REQUIREMENTS.md is the key to the R-codes that test titles, comments and `cosell doctor`
// use. This keeps the two in step: a code used anywhere must be defined there, and every code
// defined there must be proven by at least one test that names it in its title.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const key = readFileSync(join(root, 'docs', 'REQUIREMENTS.md'), 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

const sources = ['bridge', 'emulators', 'test', 'scripts', 'bench', 'force-app'].flatMap((dir) =>
  filesUnder(join(root, dir)),
);

describe('docs/REQUIREMENTS.md', () => {
  const defined = new Set([...key.matchAll(/^\| \*\*(R\d+)\*\* \|/gm)].map((m) => String(m[1])));

  it('defines R1 to R18, each once', () => {
    expect([...defined].sort()).toEqual(Array.from({ length: 18 }, (_, i) => `R${i + 1}`).sort());
    for (const code of defined) {
      expect(key.match(new RegExp(`^\\| \\*\\*${code}\\*\\* \\|`, 'gm'))).toHaveLength(1);
    }
  });

  it('defines every R-code the code and the tests use', () => {
    const undefinedUses = sources.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bR(\d{1,2})\b/g)]
        .map((m) => `R${m[1]}`)
        .filter((code) => !defined.has(code))
        .map((code) => `${relative(root, file)}: ${code}`),
    );
    expect(undefinedUses).toEqual([]);
  });

  it('has at least one test naming each requirement in its title', () => {
    const titles = sources
      .filter((file) => /\.test\.(ts|js)$/.test(file))
      .flatMap((file) => [
        ...readFileSync(file, 'utf8').matchAll(
          /\b(?:it|test|describe)(?:\.each\([^)]*\))?\(\s*['"`]([^'"`]*)/g,
        ),
      ])
      .map((m) => String(m[1]));
    const unproven = [...defined].filter(
      (code) => !titles.some((title) => new RegExp(`\\b${code}\\b`).test(title)),
    );
    expect(unproven).toEqual([]);
  });
});
