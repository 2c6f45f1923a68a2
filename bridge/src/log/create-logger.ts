import pino, { type DestinationStream, type Logger } from 'pino';
import { secretValues } from '../config/redact';
import type { BridgeEnvironment, Config, LogLevel } from '../config/types';
import { createLineScrubber, redactKeys } from './redaction';

export interface LoggerSettings {
  readonly level: LogLevel;
  readonly environment: BridgeEnvironment | string;
  /** Values to scrub from every line; `createLogger(config)` derives them from the config. */
  readonly secrets?: readonly string[];
}

export interface CreateLoggerOptions {
  /** Where lines go; stdout by default. Tests pass a stream that collects lines. */
  readonly destination?: DestinationStream;
}

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
      }
    : source;
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
    // Synchronous stdout: a CLI command that exits right after logging must not lose its last lines.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A child logger scoped to one module: every line says where it came from. */
export function moduleLogger(logger: Logger, module: string): Logger {
  return logger.child({ module });
}
