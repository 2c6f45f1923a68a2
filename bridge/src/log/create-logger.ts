import pino, { type DestinationStream, type Logger } from 'pino';
import { secretValues } from '../config/redact';
import type { BridgeEnvironment, Config, LogFormat, LogLevel } from '../config/types';
import { createLineScrubber, redactKeys } from './redaction';

export interface LoggerSettings {
  readonly level: LogLevel;
  readonly environment: BridgeEnvironment | string;
  /** Values to scrub from every line; `createLogger(config)` derives them from the config. */
  readonly secrets?: readonly string[];
  /** BRIDGE_LOG_FORMAT; unset = pretty when the output is a terminal, json otherwise. */
  readonly format?: LogFormat;
}

export interface CreateLoggerOptions {
  /** Where lines go; stdout by default. Tests pass a stream that collects lines. */
  readonly destination?: DestinationStream;
  /** The file descriptor lines go to (1 stdout, 2 stderr): also whose terminal decides the format. */
  readonly fd?: 1 | 2;
  /** Whether the output is a terminal; defaults to asking the process (false with a destination). */
  readonly isTerminal?: boolean;
  /**
   * JSON lines are written asynchronously, off the event loop (the long-running `cosell run`).
   * A synchronous write waits whenever the reader of stdout (journald, a pipe, a log shipper) is
   * slower than the bridge: in the 2,000-deal bulk run the sync engine spent ~0.5 s of 6.8 s busy
   * blocked in write() and atomic-sleep on a full pipe. Lines still go out in order; they are
   * flushed synchronously on exit (pino registers the flush), and a slow reader can hold at most
   * BUFFERED_LOG_LIMIT_BYTES in memory before lines are dropped rather than the sync stalling.
   * Not for short CLI commands (they log a few lines, then exit).
   */
  readonly buffered?: boolean;
}

/** How much log output a stalled stdout reader may hold in memory (see `buffered`). */
export const BUFFERED_LOG_LIMIT_BYTES = 16 * 1024 * 1024;

function isConfig(source: Config | LoggerSettings): source is Config {
  return 'bridge' in source && 'salesforce' in source;
}

/**
 * The bridge's pino logger. Every line carries `environment` (R5) so a production line can never
 * be mistaken for a sandbox one; secret-bearing keys are redacted at any depth, and every line
 * is scrubbed of configured secret values and bearer tokens just before it is written.
 */
export function createLogger(
  source: Config | LoggerSettings,
  options: CreateLoggerOptions = {},
): Logger {
  const settings: LoggerSettings = isConfig(source)
    ? {
        level: source.bridge.logLevel,
        environment: source.environment,
        secrets: secretValues(source),
        ...(source.bridge.logFormat ? { format: source.bridge.logFormat } : {}),
      }
    : source;
  const fd = options.fd ?? 1;
  // A caller-supplied destination is not a terminal unless the caller says so.
  const isTerminal =
    options.isTerminal ??
    (!options.destination && Boolean((fd === 1 ? process.stdout : process.stderr).isTTY));
  const format = settings.format ?? (isTerminal ? 'pretty' : 'json');
  // Synchronous unless buffered: a CLI command that exits right after logging must not lose its
  // last lines. A terminal stays synchronous too (people, few lines, pretty-printed in-process).
  const buffered = Boolean(options.buffered) && format === 'json';
  const destination =
    options.destination ??
    (buffered
      ? pino.destination({ dest: fd, sync: false, maxLength: BUFFERED_LOG_LIMIT_BYTES })
      : pino.destination({ dest: fd, sync: true }));
  const scrub = createLineScrubber(settings.secrets ?? []);
  const redactObject = (value: Record<string, unknown>) =>
    redactKeys(value) as Record<string, unknown>;
  return pino(
    {
      name: 'cosell-bridge',
      level: settings.level,
      base: { environment: settings.environment },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: redactObject, bindings: redactObject },
      serializers: { err: (error: Error) => redactKeys(pino.stdSerializers.err(error)) },
      hooks: { streamWrite: scrub },
    },
    format === 'pretty' ? prettyStream(destination, isTerminal) : destination,
  );
}

/**
 * One line per entry for people: time, level, message, then the fields (pino-pretty, in this
 * process and synchronous, so nothing is lost on exit). Lines are scrubbed before they get
 * here (the streamWrite hook). Loaded only when used: JSON output never pays for it.
 */
function prettyStream(destination: DestinationStream, colorize: boolean): DestinationStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty.build({
    destination,
    colorize,
    singleLine: true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name',
  });
}

/** A child logger scoped to one module: every line says where it came from. */
export function moduleLogger(logger: Logger, module: string): Logger {
  return logger.child({ module });
}
