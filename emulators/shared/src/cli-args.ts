import { parseArgs } from 'node:util';

/**
 * The emulators' command line (DESIGN.md contract): `--help` prints usage and exits 0, an unknown
 * flag or a missing value is an error (exit 2) instead of silently starting a server the operator
 * did not ask for. Pure: `parseEmulatorArgs` returns what to do; `emulatorArgsOrExit` does it.
 */
export interface EmulatorFlag {
  /** `string` flags take a value (`--port 0` or `--port=0`); `boolean` flags do not. */
  type: 'string' | 'boolean';
  /** One line for the usage text, e.g. `<p>  port to listen on (0: any free port)`. */
  help: string;
}

export type EmulatorArgs =
  | { kind: 'run'; values: Record<string, string | boolean | undefined> }
  | { kind: 'help'; text: string }
  | { kind: 'error'; text: string };

export function usageText(command: string, flags: Record<string, EmulatorFlag>): string {
  const width = Math.max(...Object.keys(flags).map((name) => name.length), 4) + 2;
  const lines = Object.entries({
    ...flags,
    help: { type: 'boolean', help: 'print this help' },
  }).map(([name, flag]) => `  --${name.padEnd(width)} ${flag.help}`);
  return `usage: ${command} [options]\n\noptions:\n${lines.join('\n')}\n`;
}

export function parseEmulatorArgs(
  argv: readonly string[],
  command: string,
  flags: Record<string, EmulatorFlag>,
): EmulatorArgs {
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, flag]) => [name, { type: flag.type }]),
  ) as Record<string, { type: 'string' | 'boolean' }>;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) return { kind: 'help', text: usageText(command, flags) };
    return { kind: 'run', values: values as Record<string, string | boolean | undefined> };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { kind: 'error', text: `${command}: ${message} (run with --help for usage)\n` };
  }
}

/** For main.ts: the parsed flags, or print usage (exit 0) / the error (exit 2) and exit. */
export function emulatorArgsOrExit(
  argv: readonly string[],
  command: string,
  flags: Record<string, EmulatorFlag>,
): Record<string, string | boolean | undefined> {
  const parsed = parseEmulatorArgs(argv, command, flags);
  if (parsed.kind === 'run') return parsed.values;
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    process.exit(0);
  }
  process.stderr.write(parsed.text);
  process.exit(2);
}
