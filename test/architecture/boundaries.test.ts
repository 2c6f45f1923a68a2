// The module boundaries are lint rules (eslint.boundaries.mjs). These tests run ESLint with the
// project's own configuration on small sources placed, virtually, inside each module: a crossing
// must fail lint with the boundary's message, and the imports each module really needs must pass.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

type Case = { file: string; source: string };
type Message = { ruleId: string | null; message: string };

// require() is already a lint error in TypeScript, which is what keeps it from dodging the others.
const boundaryRules = [
  'import/no-restricted-paths',
  'no-restricted-imports',
  '@typescript-eslint/no-require-imports',
];

/** Lints all cases in one ESLint process and returns each case's boundary errors. */
function boundaryErrors(cases: Case[]): string[][] {
  const out = execFileSync(process.execPath, [join(__dirname, 'lint-sources.mjs')], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  return (JSON.parse(out) as Message[][]).map((messages) =>
    messages.filter((m) => boundaryRules.includes(m.ruleId ?? '')).map((m) => m.message),
  );
}

// Every source uses what it imports, so only the boundary rules can complain.
const asCase = (file: string, source: string): Case => ({
  file,
  source: `${source}\nexport const used = [x];\n`,
});

const crossings: Array<[string, string, RegExp]> = [
  ['bridge/src/mapping/x.ts', "import { x } from '../salesforce';", /mapping\/ is pure/],
  ['bridge/src/mapping/x.ts', "import { x } from '../partner-center';", /mapping\/ is pure/],
  ['bridge/src/mapping/x.ts', "import { x } from '../store';", /mapping\/ is pure/],
  ['bridge/src/mapping/x.ts', "import { x } from '../webhook';", /mapping\/ is pure/],
  ['bridge/src/mapping/x.ts', "import { x } from '../server';", /mapping\/ is pure/],
  ['bridge/src/mapping/x.ts', "import { x } from '../sync';", /mapping\/ is pure/],
  ['bridge/src/mapping/x.ts', "import { x } from '../config';", /mapping\/ is pure/],
  ['bridge/src/mapping/x.ts', "import { readFileSync as x } from 'node:fs';", /no I\/O/],
  ['bridge/src/mapping/x.ts', "import { request as x } from 'node:http';", /no I\/O/],
  ['bridge/src/mapping/x.ts', "import { connect as x } from 'net';", /no I\/O/],
  ['bridge/src/mapping/x.ts', "import x from 'jsforce';", /no I\/O/],
  ['bridge/src/mapping/x.ts', "import x from 'express';", /no I\/O/],
  ['bridge/src/mapping/x.ts', "const x = require('node:fs');", /[Rr]equire/],
  ['bridge/src/schemas/x.ts', "import { x } from '../mapping';", /schemas\/ is pure/],
  [
    'bridge/src/salesforce/x.ts',
    "import { x } from '../partner-center';",
    /salesforce\/ knows only Salesforce/,
  ],
  [
    'bridge/src/salesforce/x.ts',
    "import { x } from '../webhook';",
    /salesforce\/ knows only Salesforce/,
  ],
  [
    'bridge/src/salesforce/x.ts',
    "import { x } from '../sync';",
    /salesforce\/ knows only Salesforce/,
  ],
  [
    'bridge/src/partner-center/x.ts',
    "import { x } from '../salesforce/connection';",
    /partner-center\/ knows only Partner Center/,
  ],
  [
    'bridge/src/webhook/x.ts',
    "import { x } from '../salesforce';",
    /webhook\/ knows only Partner Center/,
  ],
  ['bridge/src/store/x.ts', "import { x } from '../partner-center';", /store\/ is infrastructure/],
  ['bridge/src/server/x.ts', "import { x } from '../sync';", /server\/ is infrastructure/],
  ['bridge/src/sync/x.ts', "import { x } from '../runtime';", /sync\/ is wired by runtime/],
  ['bridge/src/runtime/x.ts', "import { x } from '../cli/program';", /runtime\/ is used by cli/],
  [
    'bridge/src/sync/x.ts',
    "import { x } from '../../../emulators/shared/src';",
    /bridge never imports the emulators/,
  ],
  [
    'bridge/src/sync/x.ts',
    "import { x } from '../../../test/support';",
    /bridge never imports the emulators or test code/,
  ],
  [
    'emulators/salesforce/src/x.ts',
    "import { x } from '../../../bridge/src/mapping';",
    /emulators never import the bridge/,
  ],
  [
    'emulators/partner-center/src/x.ts',
    "import { x } from '../../../bridge/src/schemas';",
    /emulators never import the bridge/,
  ],
  [
    'emulators/salesforce/src/x.ts',
    "import { x } from '../../partner-center/src/emulator';",
    /share code only through emulators\/shared/,
  ],
];

const allowed: Array<[string, string]> = [
  ['bridge/src/mapping/x.ts', "import { x } from '../schemas';"],
  ['bridge/src/mapping/x.ts', "import { x } from '../errors';"],
  ['bridge/src/mapping/x.ts', "import { z as x } from 'zod';"],
  ['bridge/src/mapping/x.ts', "import { x } from './diff';"],
  ['bridge/src/salesforce/x.ts', "import { x } from '../mapping';"],
  ['bridge/src/partner-center/x.ts', "import { x } from '../retry';"],
  [
    'bridge/src/sync/x.ts',
    "import { x } from '../salesforce';\nimport { y } from '../partner-center';\nexport { y };",
  ],
  [
    'bridge/src/runtime/x.ts',
    "import { x } from '../sync';\nimport { y } from '../server';\nexport { y };",
  ],
  ['bridge/src/cli/x.ts', "import { x } from '../runtime';"],
  ['emulators/partner-center/src/x.ts', "import { x } from '../../shared/src';"],
];

describe('module boundaries are lint errors (eslint.boundaries.mjs)', () => {
  let crossingErrors: string[][];
  let allowedErrors: string[][];

  beforeAll(() => {
    const errors = boundaryErrors([
      ...crossings.map(([file, source]) => asCase(file, source)),
      ...allowed.map(([file, source]) => asCase(file, source)),
    ]);
    crossingErrors = errors.slice(0, crossings.length);
    allowedErrors = errors.slice(crossings.length);
  }, 60_000);

  it.each(crossings.map((c, i) => [...c, i] as const))(
    '%s: `%s` fails lint',
    (_file, _source, message, i) => {
      expect(crossingErrors[i]).toEqual([expect.stringMatching(message)]);
    },
  );

  it.each(allowed.map((c, i) => [...c, i] as const))('%s: `%s` passes', (_file, _source, i) => {
    expect(allowedErrors[i]).toEqual([]);
  });
});
