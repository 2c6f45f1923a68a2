/**
 * `cosell doctor | head -3`: the reader closes the pipe before the command has written all its
 * lines. The command must not die halfway with Node's "Unhandled 'error' event … EPIPE" stack
 * trace (found in the operator walkthrough); it finishes and exits with its own code.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../bin/cosell.js');

/** A loopback port that refuses connections: taken, then released. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('cosell with its stdout closed by the reader', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-closed-stdout-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('doctor keeps checking after its first line has no reader: no EPIPE stack, its own exit code', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    Object.assign(env, {
      BRIDGE_ENVIRONMENT: 'emulator',
      SALESFORCE_LOGIN_URL: url,
      SALESFORCE_CLIENT_ID: 'emulator-client',
      SALESFORCE_CLIENT_SECRET: 'emulator-secret',
      PARTNER_CENTER_API_URL: url,
      PARTNER_CENTER_WEBHOOK_API_URL: url,
      PARTNER_CENTER_TOKEN_URL: `${url}/contoso/oauth2/token`,
      PARTNER_CENTER_TENANT_ID: 'contoso',
      PARTNER_CENTER_CLIENT_ID: 'emulator-client',
      PARTNER_CENTER_CLIENT_SECRET: 'emulator-secret',
      PARTNER_CENTER_USERNAME: 'admin@partner.example',
      PARTNER_CENTER_PASSWORD: 'emulator-password',
    });
    // doctor writes "✓ Environment" at once, then waits for the (refused) sign-ins before its
    // next lines: the later writes meet the closed pipe.
    const child = spawn(process.execPath, ['--', BIN, 'doctor'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));

    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event|\n\s+at /);
    // 1: the sign-in checks failed (nothing listens), as doctor says with its stdout open.
    expect(code).toBe(1);
  }, 60_000);
});
