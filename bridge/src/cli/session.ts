import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Bridge } from '../runtime';
import type { StateStore } from '../store';
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
  /**
   * With `inspectMissingStore`: the absolute path of the SQLite store that does not exist yet (the
   * bridge then runs on an empty one in memory), else undefined.
   */
  readonly missingStore: string | undefined;
  bridge(): Bridge;
  /**
   * The store alone, for commands that only read or mark rows in it (status, failures): opening
   * it loads node:sqlite (or pg) and nothing of jsforce, express or the engine, so these commands
   * start within a few times a bare Node start. The bridge's own store once `bridge()` was built.
   */
  store(): StateStore;
  close(): Promise<void>;
}

export interface SessionAccess {
  /** Commands that only read the store (status, explain, failures) never create it. */
  readOnly?: boolean;
  /**
   * `doctor`, run before the first `cosell run`: a SQLite store that does not exist yet is
   * inspected as an empty one in memory, and the file is not created.
   */
  inspectMissingStore?: boolean;
}

export function openSession(
  io: CliIo,
  options: GlobalOptions,
  access: SessionAccess = {},
): Session {
  const config = loadCliConfig(io, options);
  const logger = commandLogger(config, io);
  const out = createOutput(io, options, config);
  let bridge: Bridge | undefined;
  // Decided once, before anything opens the store (opening a SQLite file creates it).
  const missingStore = access.inspectMissingStore
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('../store/open-store') as typeof import('../store/open-store')).missingSqliteStore(
        config.bridge.databaseUrl,
      )
    : undefined;
  let ownStore: StateStore | undefined;
  return {
    io,
    options,
    config,
    logger,
    out,
    missingStore,
    bridge() {
      // Loaded on first use, not with the CLI: the runtime pulls in jsforce, express and the
      // engine, which `cosell --help` and a bad configuration never need (issue 17: fast start).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createBridge } = require('../runtime') as typeof import('../runtime');
      bridge ??= createBridge({
        config: missingStore
          ? { ...config, bridge: { ...config.bridge, databaseUrl: 'sqlite::memory:' } }
          : config,
        logger,
        withoutChangeStream: true,
        storeMustExist: access.readOnly === true,
      });
      return bridge;
    },
    store() {
      if (bridge) return bridge.runtime.store;
      // The store module itself, not store/index (which would load the Postgres store too).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { openStore } = require('../store/open-store') as typeof import('../store/open-store');
      ownStore ??= openStore(config.bridge.databaseUrl, {
        coalesceWindowMs: config.bridge.coalesceWindowMs,
        mustExist: access.readOnly === true,
      });
      return ownStore;
    },
    async close() {
      await bridge?.stop();
      await ownStore?.close();
    },
  };
}
