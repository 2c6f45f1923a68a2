/**
 * `cosell` entry point (bridge/bin/cosell.js loads its compiled form from dist/). The only
 * place that touches the process: argv, environment, stdio and exit.
 */
import { processEnvironment } from '../config/env-source';
import { runCli } from './program';

runCli(process.argv.slice(2), {
  env: processEnvironment(),
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
}).then(
  (code) => {
    // `run` keeps the process alive; its shutdown handler exits. One-shot commands exit now, so
    // keep-alive sockets (jsforce, fetch) cannot hold the process open.
    if (code !== 'running') process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
