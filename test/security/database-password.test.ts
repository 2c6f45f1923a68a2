/**
 * The Postgres password in BRIDGE_DATABASE_URL is a secret wherever the operator puts it. node-postgres
 * reads it from the user info (`postgres://user:password@host/db`) and from the `password` query
 * parameter (`postgres://user@host/db?password=…`); doctor's store check printed the URL with only
 * the first form masked, so the second went to the terminal and CI logs as written. Real `cosell`
 * processes against a real Postgres server (the password below is the one it was set up with).
 */
import { startStack, type Stack } from '../support';
import { startPostgres, type PostgresServer } from '../support/postgres-server';

describe('the Postgres password never appears in doctor or status output', () => {
  let postgres: PostgresServer;
  let stack: Stack;
  let password: string;
  let hostAndDatabase: string;

  beforeAll(async () => {
    postgres = await startPostgres();
    const url = new URL(postgres.url);
    password = decodeURIComponent(url.password);
    hostAndDatabase = `${url.host}${url.pathname}`;
    stack = await startStack({ setup: false, startBridge: false });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stack?.dispose(), postgres?.stop()]);
  });

  it.each([
    [
      'the password query parameter',
      () => `postgres://postgres@${hostAndDatabase}?password=${password}`,
    ],
    ['the user info', () => `postgres://postgres:${password}@${hostAndDatabase}`],
  ])('given in %s: doctor reaches the store and shows the URL without it', async (_where, url) => {
    const env = { BRIDGE_DATABASE_URL: url() };
    const doctor = await stack.bridge.cli(['doctor'], { env });
    const doctorJson = await stack.bridge.cli(['doctor', '--json'], { env });
    const status = await stack.bridge.cli(['status', '--json'], { env });

    // The store check ran against this Postgres (so the line that shows the URL was printed).
    const storeLine = doctor.stdout.split('\n').find((line) => line.includes('State store'));
    expect(storeLine).toMatch(/^✓ .*postgres:\/\/postgres.*\[redacted\].*outbound pending/);
    for (const output of [doctor, doctorJson, status]) {
      expect(`${output.stdout}\n${output.stderr}`).not.toContain(password);
    }
  }, 90_000);
});
