import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { loadConfig, secretValues, type Config } from '../config';

import { createLineScrubber, createLogger } from '../log';

/** What a command needs from the process, passed in by cli/main.ts (tests pass their own). */
export interface CliIo {
  /** The process environment; only config/ interprets it. */
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Ends the process; only `run` uses it (after a signal-triggered shutdown). */
  exit(code: number): void;
}

export interface GlobalOptions {
  json?: boolean;
  envFile?: string;
}

/** `--env-file <path>`, else `./.env` when it exists, else the environment alone. */
export function envFileFor(io: CliIo, options: GlobalOptions): string | undefined {
  if (options.envFile) return resolve(io.cwd, options.envFile);
  const local = resolve(io.cwd, '.env');
  return existsSync(local) ? local : undefined;
}

export function loadCliConfig(io: CliIo, options: GlobalOptions): Config {
  return loadConfig(io.env, { envFile: envFileFor(io, options) });
}

/**
 * One-shot commands log to stderr (stdout is the command's answer, `--json` must stay parseable)
 * and only warnings unless BRIDGE_LOG_LEVEL asks for more detail.
 */
export function commandLogger(config: Config, io?: Pick<CliIo, 'stderr'>): Logger {
  const verbose = ['debug', 'trace'].includes(config.bridge.logLevel);
  return createLogger(
    {
      level: verbose
        ? config.bridge.logLevel
        : config.bridge.logLevel === 'silent'
          ? 'silent'
          : 'warn',
      environment: config.environment,
      secrets: secretValues(config),
      ...(config.bridge.logFormat ? { format: config.bridge.logFormat } : {}),
    },
    // A person reads a command's output: its warnings are plain lines, not pino JSON between
    // the command's own lines (BRIDGE_LOG_FORMAT or BRIDGE_LOG_LEVEL=debug choose pino's lines).
    io && !verbose && !config.bridge.logFormat ? { destination: humanLines(io), fd: 2 } : { fd: 2 },
  );
}

const LEVEL_LABEL: Record<number, string> = { 60: 'error', 50: 'error', 40: 'warning' };

/** pino's JSON lines (already scrubbed) → `warning: <message>` lines on stderr. */
function humanLines(io: Pick<CliIo, 'stderr'>): { write(line: string): void } {
  return {
    write(line) {
      let entry: { level?: number; msg?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        io.stderr(line.endsWith('\n') ? line : `${line}\n`);
        return;
      }
      const label = LEVEL_LABEL[entry.level ?? 0] ?? 'note';
      io.stderr(`${label}: ${String(entry.msg ?? '')}\n`);
    },
  };
}

/** Output with every configured secret scrubbed: a last line of defence, as in the logger. */
export interface Output {
  line(text?: string): void;
  /** Progress and notes for humans: stderr, so `--json` stdout stays one document. */
  note(text: string): void;
  json(value: unknown): void;
  readonly isJson: boolean;
}

export function createOutput(io: CliIo, options: GlobalOptions, config?: Config): Output {
  const scrub = createLineScrubber(config ? secretValues(config) : []);
  return {
    isJson: options.json === true,
    line(text = '') {
      if (options.json) return;
      io.stdout(`${scrub(text)}\n`);
    },
    note(text) {
      io.stderr(`${scrub(text)}\n`);
    },
    json(value) {
      if (!options.json) return;
      io.stdout(`${scrub(JSON.stringify(value, null, 2))}\n`);
    },
  };
}
