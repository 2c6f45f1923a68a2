/**
 * `cosell` entry point (bridge/bin/cosell.js loads its compiled form from dist/). The only
 * place that touches the process: argv, environment, stdio and exit.
 */
import { processEnvironment } from '../config/env-source';
import { runCli } from './program';

runCli(process.argv.slice(2), {
  env: processEnvironment(),
  cwd: process.cwd(),
  stdout: writerTo(process.stdout),
  stderr: writerTo(process.stderr),
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

/**
 * `cosell doctor | head -3`: the reader may close the pipe while the command still has lines to
 * write. Node reports that as an EPIPE 'error' event which, unhandled, ended the command halfway
 * with a stack trace. Nobody reads the rest: drop it, and let the command finish its work (a
 * `failures retry` or `resync` completes) and exit with its own code.
 */
function writerTo(stream: NodeJS.WriteStream): (text: string) => void {
  let open = true;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    open = false;
  });
  return (text) => {
    if (open) stream.write(text);
  };
}
