// Module boundaries of the bridge and the emulators, enforced by lint (eslint.config.mjs) so that a
// violation fails `npm run lint` instead of waiting for a reviewer. docs/ARCHITECTURE.md draws them.
//
// - mapping/ and schemas/ are pure: data in, data out. They import each other, errors.ts and zod,
//   nothing that does I/O, so they can be tested without a network and reused on both sides.
// - Each side knows only itself: salesforce/ never imports partner-center/ or webhook/ (the Partner
//   Center side) and neither of those imports salesforce/. sync/ is the only module that knows both
//   sides; runtime/ and cli/ are the composition root that wires them (and the server) together.
// - Infrastructure (store/, server/, config/, log/, metrics/, retry/) knows neither side.
// - Nothing below the composition root imports runtime/ or cli/; nothing but the composition root
//   imports sync/.
// - The bridge and the emulators never import each other (the emulators stand in for the real
//   services, so sharing code would let a bug on one side hide the same bug on the other), and no
//   source file imports test code.

const src = 'bridge/src';
const modules = [
  'cli',
  'config',
  'log',
  'mapping',
  'metrics',
  'partner-center',
  'retry',
  'runtime',
  'salesforce',
  'schemas',
  'server',
  'store',
  'sync',
  'webhook',
];
const all = [...modules.map((m) => `./${src}/${m}`), `./${src}/errors.ts`];
const except = (...allowed) => all.filter((path) => !allowed.some((a) => path.endsWith(`/${a}`)));
const zone = (target, from, message) => ({ target: `./${src}/${target}`, from, message });

const partnerCenterSide = [`./${src}/partner-center`, `./${src}/webhook`];
const upper = [`./${src}/sync`, `./${src}/runtime`, `./${src}/cli`];

export const boundaries = [
  zone(
    'mapping',
    except('mapping', 'schemas', 'errors.ts'),
    'mapping/ is pure: import only mapping/, schemas/ and errors.ts.',
  ),
  zone('schemas', except('schemas'), 'schemas/ is pure: import only zod and other schemas.'),
  zone(
    'salesforce',
    [...partnerCenterSide, `./${src}/store`, `./${src}/server`, ...upper],
    'salesforce/ knows only Salesforce: only sync/ (and the composition root) may join it to Partner Center, the store or the server.',
  ),
  ...['partner-center', 'webhook'].map((side) =>
    zone(
      side,
      [`./${src}/salesforce`, `./${src}/store`, `./${src}/server`, ...upper],
      `${side}/ knows only Partner Center: only sync/ (and the composition root) may join it to Salesforce, the store or the server.`,
    ),
  ),
  ...['store', 'server', 'config', 'log', 'metrics', 'retry'].map((infra) =>
    zone(
      infra,
      [
        `./${src}/salesforce`,
        ...partnerCenterSide,
        ...upper,
        ...(infra === 'store' ? [] : [`./${src}/store`]),
      ],
      `${infra}/ is infrastructure: it knows neither Salesforce nor Partner Center, nor the sync engine above it.`,
    ),
  ),
  zone(
    'sync',
    [`./${src}/runtime`, `./${src}/cli`, `./${src}/server`],
    'sync/ is wired by runtime/ and cli/, never the other way round.',
  ),
  zone('runtime', [`./${src}/cli`], 'runtime/ is used by cli/, never the other way round.'),
  {
    target: './bridge/src',
    from: ['./emulators', './test', './bridge/test'],
    message: 'The bridge never imports the emulators or test code.',
  },
  ...['salesforce', 'partner-center', 'shared'].map((emulator) => ({
    target: `./emulators/${emulator}/src`,
    from: ['./bridge', './test', `./emulators/${emulator}/test`],
    message: 'The emulators never import the bridge or test code.',
  })),
  {
    target: './emulators/salesforce/src',
    from: './emulators/partner-center',
    message: 'The two emulators share code only through emulators/shared.',
  },
  {
    target: './emulators/partner-center/src',
    from: './emulators/salesforce',
    message: 'The two emulators share code only through emulators/shared.',
  },
];

// Packages and Node built-ins are I/O (or can be): the pure modules may import zod and nothing else.
export const pureModules = [`${src}/mapping/**/*.ts`, `${src}/schemas/**/*.ts`];
export const pureModuleImports = {
  patterns: [
    {
      regex: '^(?!\\.{1,2}/|zod$)',
      message: 'mapping/ and schemas/ are pure: no packages or Node built-ins except zod (no I/O).',
    },
  ],
};
