import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseEmulatorArgs } from '../src';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');

/** Runs an emulator's main.ts as `npm run emulator:*` does; resolves with its exit and output. */
async function emulator(main: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [require.resolve('tsx/cli'), main, ...args],
      { cwd: root, timeout: 20_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string; killed?: boolean };
    // A server that started anyway would be killed by the timeout: that is the bug this guards.
    if (failed.killed) throw new Error('the emulator started a server instead of exiting');
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('emulators: command line (DESIGN.md contract: --help exits 0, unknown flags are errors)', () => {
  const flags = {
    port: { type: 'string', help: '<p>  port' },
    sandbox: { type: 'boolean', help: 'a sandbox' },
  } as const;

  it('parses known flags in both spellings', () => {
    expect(parseEmulatorArgs(['--port', '0', '--sandbox'], 'emu', flags)).toEqual({
      kind: 'run',
      values: { port: '0', sandbox: true },
    });
    expect(parseEmulatorArgs(['--port=8080'], 'emu', flags)).toMatchObject({
      values: { port: '8080' },
    });
  });

  it('--help returns the usage listing every flag', () => {
    const parsed = parseEmulatorArgs(['--help'], 'emu', flags);
    expect(parsed.kind).toBe('help');
    expect(parsed.kind === 'help' && parsed.text).toMatch(
      /usage: emu[\s\S]*--port[\s\S]*--sandbox/,
    );
  });

  it('an unknown flag, a stray word or a missing value is one error line', () => {
    for (const argv of [['--prot', '0'], ['serve'], ['--port']]) {
      const parsed = parseEmulatorArgs(argv, 'emu', flags);
      expect(parsed).toMatchObject({ kind: 'error' });
      expect(parsed.kind === 'error' && parsed.text.trim().split('\n')).toHaveLength(1);
    }
  });

  it.each([
    ['salesforce', 'emulators/salesforce/src/main.ts', '--snapshot'],
    ['partner-center', 'emulators/partner-center/src/main.ts', '--tenant'],
  ])(
    'the %s emulator prints usage for --help and refuses an unknown flag',
    async (_, main, flag) => {
      const help = await emulator(main, ['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('usage:');
      expect(help.stdout).toContain(flag);
      expect(help.stdout).not.toContain('listening on');

      const unknown = await emulator(main, ['--port', '0', '--bogus']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/--bogus/);
      expect(unknown.stdout).not.toContain('listening on');
    },
    45_000,
  );
});
