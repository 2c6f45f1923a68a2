import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const CHILD = join(__dirname, 'fixtures/buffered-logger-child.ts');
let running: ChildProcess | undefined;
afterEach(() => running?.kill('SIGKILL'));

/**
 * Runs the child with stdout on a pipe that nobody reads until the child has logged everything:
 * a synchronous logger would block on the full pipe (64 KiB) and never finish before the reader
 * starts; the buffered one keeps going and still delivers every line when the process exits.
 */
async function runChild(lines: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(lines)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = child;
  child.stdout.pause();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    // The child has finished logging (it reports how long that took): now drain its stdout.
    if (stderr.includes('loggingMs')) child.stdout.resume();
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

describe('buffered logger (cosell run)', () => {
  it('does not block on a stalled stdout reader and loses no line when the process exits', async () => {
    const lines = 2_000; // ~600 KB of JSON: ten times what a pipe holds.
    const { code, stdout, stderr } = await runChild(lines);
    expect(code).toBe(0);
    expect(stderr).toContain('loggingMs');
    const records = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { i: number; msg: string });
    expect(records).toHaveLength(lines);
    expect(records.map((r) => r.i)).toEqual([...Array(lines).keys()]);
  }, 60_000);
});
