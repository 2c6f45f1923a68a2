/**
 * The Node.js floor: `engines` and the README state the real minimum (the highest `engines.node`
 * floor of any runtime dependency in the lock file), and `cosell` on an older Node exits with one
 * line before anything loads instead of a stack trace from inside undici.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MINIMUM_NODE, nodeFloorProblem } = require('../../bin/node-floor.js') as {
  MINIMUM_NODE: string;
  nodeFloorProblem(version: string): string | null;
};

const ROOT = resolve(__dirname, '../../..');
const BIN = join(ROOT, 'bridge/bin/cosell.js');
const run = promisify(execFile);

type Lock = { packages: Record<string, { dev?: boolean; engines?: { node?: string } }> };

/** The lowest version a range like ">=22.19.0" or "^20.19.0 || >=22" admits on the 22/24 lines. */
function floorOf(range: string): [number, number, number] {
  const alternatives = range.split('||').map((part) => part.trim());
  const ours = alternatives.filter(
    (part) => /\d+/.test(part) && Number(/\d+/.exec(part)![0]) >= 22,
  );
  const candidates = (ours.length > 0 ? ours : alternatives).map((part) => {
    const [major = 0, minor = 0, patch = 0] = (/(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(part) ?? [])
      .slice(1)
      .map((n) => Number(n ?? 0));
    return [major, minor, patch] as [number, number, number];
  });
  return candidates.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2])[0]!;
}

const compare = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;

describe('Node.js floor', () => {
  it('is the highest engines.node floor of every runtime dependency, and engines + README say so', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
    let highest: [number, number, number] = [0, 0, 0];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = entry.engines?.node;
      if (!path.startsWith('node_modules/') || entry.dev || !range) continue;
      const floor = floorOf(range);
      if (compare(floor, highest) > 0) highest = floor;
    }
    expect(MINIMUM_NODE).toBe(highest.join('.'));
    for (const manifest of ['package.json', 'bridge/package.json', 'emulators/package.json']) {
      const engines = (
        JSON.parse(readFileSync(join(ROOT, manifest), 'utf8')) as { engines: { node: string } }
      ).engines;
      expect(`${manifest}: ${engines.node}`).toBe(`${manifest}: >=${MINIMUM_NODE}`);
    }
    const [major, minor] = MINIMUM_NODE.split('.');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(
      `Requires Node.js ${major}.${minor} or later`,
    );
  });

  it('accepts the floor and newer, refuses anything older', () => {
    for (const ok of [MINIMUM_NODE, '22.20.1', '24.0.0', '24.22.3', '26.1.0']) {
      expect(nodeFloorProblem(ok)).toBeNull();
    }
    for (const old of ['22.13.0', '22.18.9', '20.19.2', '18.20.0']) {
      expect(nodeFloorProblem(old)).toContain(`needs Node.js >= ${MINIMUM_NODE}`);
    }
  });

  it('`cosell --help` on an older Node exits 2 with one line, before any dependency loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosell-node-floor-'));
    try {
      // Node 22.13 as far as the process can tell (the version the README used to promise).
      const pretend = join(dir, 'pretend-22.13.js');
      writeFileSync(
        pretend,
        "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '22.13.0' } });\n",
      );
      const outcome = await run(process.execPath, ['--require', pretend, BIN, '--help'], {
        cwd: dir,
      }).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(outcome.code).toBe(2);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr.trim().split('\n')).toEqual([
        `error: cosell needs Node.js >= ${MINIMUM_NODE} (this is 22.13.0): install Node.js 22 LTS (22.19 or later) or 24 LTS and run it again`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`cosell --version` prints the bridge version and exits 0', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'bridge/package.json'), 'utf8')) as {
      version: string;
    };
    const { stdout } = await run(process.execPath, [BIN, '--version'], { cwd: ROOT });
    expect(stdout.trim()).toBe(manifest.version);
  });
});
