export { createLogger, moduleLogger } from './create-logger';
export type { CreateLoggerOptions, LoggerSettings } from './create-logger';
export { createLineScrubber, isSecretKey, redactKeys, REDACTED } from './redaction';
export type { Logger } from 'pino';
