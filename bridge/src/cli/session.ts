import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Bridge } from '../runtime';
import {
  commandLogger,
  createOutput,
  loadCliConfig,
  type CliIo,
  type GlobalOptions,
  type Output,
} from './context';

/**
 * Everything a one-shot command needs, built on first use and closed once at the end: the
 * configuration (a bad value stops here with one line), a stderr logger, scrubbed output, and a
 * bridge without the CDC stream (nothing is listened on or subscribed unless the command asks).
 */
export interface Session {
  readonly io: CliIo;
  readonly options: GlobalOptions;
  readonly config: Config;
  readonly logger: Logger;
  readonly out: Output;
  bridge(): Bridge;
  close(): Promise<void>;
}

export function openSession(
  io: CliIo,
  options: GlobalOptions,
  /** Commands that only read the store (status, explain, doctor, failures) never create it. */
  access: { readOnly?: boolean } = {},
): Session {
  const config = loadCliConfig(io, options);
  const logger = commandLogger(config, io);
  const out = createOutput(io, options, config);
  let bridge: Bridge | undefined;
  return {
    io,
    options,
    config,
    logger,
    out,
    bridge() {
      // Loaded on first use, not with the CLI: the runtime pulls in jsforce, express and the
      // engine, which `cosell --help` and a bad configuration never need (issue 17: fast start).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createBridge } = require('../runtime') as typeof import('../runtime');
      bridge ??= createBridge({
        config,
        logger,
        withoutChangeStream: true,
        storeMustExist: access.readOnly === true,
      });
      return bridge;
    },
    async close() {
      await bridge?.stop();
    },
  };
}
