import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store';
import { tempDir } from './helpers';

const dir = tempDir();
const WORKER = join(__dirname, 'fixtures', 'claim-worker.ts');

function runWorker(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as string[]);
      else reject(new Error(`claim worker exited ${code}: ${err}`));
    });
  });
}

describe('store shared by processes', () => {
  it('two processes draining one file claim every job exactly once', async () => {
    const file = dir.path('shared.sqlite');
    const setup = new SqliteStore(file);
    const ids = Array.from({ length: 40 }, (_, i) => `006${String(i).padStart(12, '0')}AAA`);
    await setup.enqueueOutbound(ids.map((opportunityId) => ({ opportunityId, reason: 'resync' })));
    await setup.close();

    const [a, b] = await Promise.all([runWorker(file), runWorker(file)]);
    const all = [...a, ...b];
    expect(all).toHaveLength(ids.length);
    expect(new Set(all)).toEqual(new Set(ids));

    const check = new SqliteStore(file);
    expect((await check.queueDepths()).outboundPending).toBe(0);
    await check.close();
  }, 30_000);
});
