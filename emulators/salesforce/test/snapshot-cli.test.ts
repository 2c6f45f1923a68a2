import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, FIXTURE_FORCE_APP, seedDeal, startEmulator } from './helpers';

describe('salesforce emulator: snapshot file and command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-emu-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a snapshot file keeps records, tokens and retained events across restarts', async () => {
    const snapshotFile = join(dir, 'org.json');
    const first = await startEmulator({ snapshotFile });
    const conn = await connect(first);
    const { opportunityId } = await seedDeal(conn);
    const replayBefore = first.state.events.latestReplayId;
    await first.stop();

    const second = await startEmulator({ snapshotFile, port: 0 });
    try {
      // Same session token, same record, same replay position: the demo survives a restart.
      const res = await fetch(
        `${second.url}/services/data/v62.0/sobjects/Opportunity/${opportunityId}`,
        {
          headers: { authorization: `Bearer ${conn.accessToken}` },
        },
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ Id: opportunityId, Name: 'Deal' });
      expect(second.state.events.latestReplayId).toBe(replayBefore);
      const again = await connect(second);
      const more = await seedDeal(again, 'Second');
      expect(more.opportunityId).not.toBe(opportunityId);
    } finally {
      await second.stop();
    }
  });

  it('`npm run emulator:salesforce -- --port 0` prints "listening on <url>" and serves', async () => {
    const root = resolve(__dirname, '../../..');
    const child = spawn(
      process.execPath,
      [
        require.resolve('tsx/cli'),
        'emulators/salesforce/src/main.ts',
        '--port',
        '0',
        '--force-app',
        FIXTURE_FORCE_APP,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolveUrl(m[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${String(code)}: ${out}`)));
      });
      const versions = await fetch(`${url}/services/data`).then((r) => r.json());
      expect(versions).toContainEqual(expect.objectContaining({ version: '62.0' }));
    } finally {
      child.kill('SIGTERM');
    }
  }, 20_000);
});
