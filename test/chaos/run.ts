/**
 * `npm run test:chaos` — the chaos suites alone (test/chaos), fast profile by default;
 * `npm run test:chaos -- --long` for the long profile (more operations, kills and the slow
 * client-timeout faults); `--seed <n>` replays an earlier run's random choices. Anything else is
 * passed to jest. Jest's exit code is this script's exit code.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const env: NodeJS.ProcessEnv = { ...process.env, CHAOS_PROFILE: 'fast' };
const jestArgs: string[] = [];
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i] ?? '';
  if (arg === '--long') env.CHAOS_PROFILE = 'long';
  else if (arg === '--seed') env.CHAOS_SEED = args[(i += 1)];
  else jestArgs.push(arg);
}
if (env.CHAOS_SEED !== undefined && !/^\d+$/.test(env.CHAOS_SEED)) {
  console.error('error: --seed takes a whole number (the CHAOS_SEED printed by an earlier run)');
  process.exit(2);
}

const root = resolve(__dirname, '../..');
const result = spawnSync(
  process.execPath,
  [
    require.resolve('jest/bin/jest', { paths: [root] }),
    '--selectProjects',
    'integration',
    '--runInBand',
    '--testPathPattern',
    'test/chaos/',
    ...jestArgs,
  ],
  { cwd: root, env, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
