import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BridgeError, ConfigError, describeError } from '../errors';
import { createLineScrubber } from '../log/redaction';
import type { CliIo, GlobalOptions } from './context';
import { EXIT, type ExitCode } from './exit-codes';
import type { Session, SessionAccess } from './session';
import { UsageError } from './usage-error';

/**
 * `cosell <command>`: returns the exit code; `run` resolves only when the bridge is listening.
 * Each command's module is imported when it runs (not here), so `cosell --help` or `cosell
 * status` does not load jsforce, express and the sync engine first.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode | 'running'> {
  // commander 15 is ESM-only; this package compiles to CommonJS, so load it with import().
  const { Command, CommanderError, Option } = await import('commander');
  let exitCode: ExitCode | 'running' = EXIT.ok;
  const program = new Command('cosell')
    .description(
      'Co-Sell Sync: keeps Salesforce opportunities and Microsoft Partner Center co-sell referrals in step.',
    )
    .version(bridgeVersion(), '-V, --version', 'print the bridge version')
    .option('--json', 'print one JSON document on stdout (for scripts)')
    .option(
      '--env-file <path>',
      'read configuration from this .env file (default: ./.env when present)',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText(
      'after',
      '\nConfiguration comes from environment variables (see README.md "Configuration").\nExit codes: 0 ok, 1 something failed, 2 bad usage or configuration.',
    );

  /** Runs a one-shot command in a session; every failure becomes one line and an exit code. */
  const oneShot =
    <A extends unknown[]>(
      command: (session: Session, ...args: A) => Promise<ExitCode>,
      access: SessionAccess = {},
    ) =>
    async (...args: A) => {
      const options = program.opts<GlobalOptions>();
      let session: Session | undefined;
      try {
        const { openSession } = lazy<typeof import('./session')>('./session');
        session = openSession(io, options, access);
        exitCode = await command(session, ...args);
      } catch (error) {
        exitCode = report(error, io, options, session);
      } finally {
        await session?.close().catch(() => undefined);
      }
    };

  program
    .command('run')
    .description('run the bridge: webhook server, Change Data Capture and the sync workers')
    .action(async () => {
      const options = program.opts<GlobalOptions>();
      try {
        const { runCommand } = lazy<typeof import('./commands/run')>('./commands/run');
        await runCommand(io, options);
        exitCode = 'running';
      } catch (error) {
        exitCode = report(error, io, options);
      }
    });

  program
    .command('setup')
    .description(
      'check and create everything in order (R6/R8): credentials, schema and permission set, CDC, Partner Center access, webhook registration + test event; safe to re-run',
    )
    .addOption(
      new Option('--verify-timeout <ms>', 'how long to wait for the webhook test event')
        .default(90_000)
        .argParser(positiveInt),
    )
    .action(
      oneShot((session, opts: { verifyTimeout: number }) =>
        lazy<typeof import('./commands/setup')>('./commands/setup').setupCommand(session, {
          verifyTimeoutMs: Number(opts.verifyTimeout),
        }),
      ),
    );

  program
    .command('doctor')
    .description(
      'run every troubleshooting check (R2, R5, R7, R8, R12, R15, R16, budget, store, replay cursor) and print each fix; changes nothing',
    )
    .action(
      oneShot(
        (session) =>
          lazy<typeof import('./commands/doctor')>('./commands/doctor').doctorCommand(session),
        { inspectMissingStore: true },
      ),
    );

  program
    .command('status')
    .description(
      'queues, failures, Partner Center budget (R1), replay cursors and watermarks from the local store',
    )
    .action(
      oneShot(
        (session) =>
          lazy<typeof import('./commands/status')>('./commands/status').statusCommand(session),
        READ_ONLY,
      ),
    );

  program
    .command('explain')
    .description('R18: what happened to one opportunity or referral, and why')
    .argument('<id>', 'Salesforce opportunity id or Partner Center referral id')
    .action(
      oneShot(
        (session, id: string) =>
          lazy<typeof import('./commands/explain')>('./commands/explain').explainCommand(
            session,
            id,
          ),
        READ_ONLY,
      ),
    );

  const failures = program
    .command('failures')
    .description('R14: failed syncs, kept with their error');
  failures
    .command('list')
    .description('list failed and retrying syncs, newest first')
    .action(
      oneShot(
        (session) =>
          lazy<typeof import('./commands/failures')>('./commands/failures').failuresListCommand(
            session,
          ),
        READ_ONLY,
      ),
    );
  failures
    .command('retry')
    .description(
      'make failures due now: all of them, or by failure number / opportunity id / referral id',
    )
    .argument('[ids...]', 'failure numbers (#12), opportunity ids or referral ids')
    .option('--all', 'retry every failure')
    .action(
      oneShot(
        (session, ids: string[], opts: { all?: boolean }) =>
          lazy<typeof import('./commands/failures')>('./commands/failures').failuresRetryCommand(
            session,
            ids,
            opts,
          ),
        READ_ONLY,
      ),
    );

  program
    .command('resync')
    .description(
      'R13: send the current Salesforce state again (one opportunity, all, or changed since a time), with progress',
    )
    .argument('[opportunityId]', 'one opportunity')
    .option('--all', 'every opportunity with "Sync with Partner Center" on')
    .option('--since <iso>', 'opportunities changed since this ISO 8601 date-time')
    .option('--no-wait', 'only queue the work for the running bridge')
    .action(
      oneShot(
        (session, id: string | undefined, opts: { all?: boolean; since?: string; wait: boolean }) =>
          lazy<typeof import('./commands/resync')>('./commands/resync').resyncCommand(
            session,
            id,
            opts,
          ),
      ),
    );

  const webhook = program.command('webhook').description('Partner Center webhook registration');
  webhook
    .command('register')
    .description(
      'R8: register <BRIDGE_PUBLIC_URL>/webhooks/partner-center for the four referral events, overwriting the current registration',
    )
    .action(
      oneShot((session) =>
        lazy<typeof import('./commands/webhook')>('./commands/webhook').webhookRegisterCommand(
          session,
        ),
      ),
    );

  const solutions = program
    .command('solutions')
    .description("R17: the partner's co-sell-ready solutions (Microsoft_Solution__c)");
  solutions
    .command('import')
    .description(
      'upsert the Partner Center solutions export (CSV with id and name columns) by Solution_Id__c',
    )
    .argument('<csv>', 'path to the CSV file')
    .action(
      oneShot((session, file: string) =>
        lazy<typeof import('./commands/solutions')>('./commands/solutions').solutionsImportCommand(
          session,
          file,
        ),
      ),
    );

  // A mistake in `cosell explain` points at `cosell explain --help`, where its arguments are.
  const pointToHelp = (command: typeof program, path: string): void => {
    command.showHelpAfterError(`(run \`${path} --help\` for usage)`);
    for (const sub of command.commands) pointToHelp(sub, `${path} ${sub.name()}`);
  };
  pointToHelp(program, 'cosell');

  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // 0 only for --help, `help <command>` and --version. A group without its subcommand
      // (`cosell failures`) prints the group's help with exit code 1: that is bad usage, as an
      // unknown command is, not success.
      if (error.exitCode === 0) return EXIT.ok;
      // A script asked for one JSON document: it gets one for commander's refusals too (unknown
      // command or option, missing argument), not an empty stdout.
      if (argv.includes('--json')) {
        const body = { ok: false, error: commanderRefusal(error) };
        io.stdout(`${JSON.stringify(body, null, 2)}\n`);
      }
      return EXIT.usage;
    }
    throw error;
  }
  return exitCode;
}

/** The bridge package's version (bridge/package.json, two folders up from src/cli or dist/cli). */
function bridgeVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/**
 * A command's module, loaded when the command runs. CommonJS `require` (this package compiles
 * to CommonJS): resolved the same way from dist/, under tsx and under jest.
 */
function lazy<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as T;
}

/** Commander's refusal as the one line it printed, without its "error: " prefix. */
function commanderRefusal(error: { code: string; message: string }): string {
  return error.code === 'commander.help'
    ? 'a subcommand is missing: the usage is on stderr'
    : error.message.replace(/^error: /, '');
}

/** Commands that must not create a store: in the wrong folder they would report an empty one. */
const READ_ONLY = { readOnly: true };

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`expected a positive whole number, got "${value}"`);
  return n;
}

/**
 * Expected failures are one line without a stack: bad configuration or usage (exit 2), a refused
 * sign-in, a missing role, an unreachable service (exit 1). Output is scrubbed of secrets.
 */
function report(error: unknown, io: CliIo, options: GlobalOptions, session?: Session): ExitCode {
  const usage = error instanceof ConfigError || error instanceof UsageError;
  const scrub = createLineScrubber([]);
  const message = scrub(describeError(error)).replace(/\s*\n\s*/g, ' ');
  // A wrapper whose cause the bridge classified (the Postgres store that cannot be opened) is an
  // expected failure too, not a bug to report.
  const expected =
    error instanceof BridgeError || (error instanceof Error && error.cause instanceof BridgeError);
  const line = expected || usage ? message : `unexpected error: ${message}`;
  if (session) session.out.note(`error: ${line}`);
  else io.stderr(`error: ${line}\n`);
  if (options.json) {
    const body = {
      ok: false,
      error: line,
      ...(error instanceof ConfigError ? { variable: error.variable } : {}),
    };
    if (session) session.out.json(body);
    else io.stdout(`${JSON.stringify(body, null, 2)}\n`);
  }
  return usage ? EXIT.usage : EXIT.failed;
}
