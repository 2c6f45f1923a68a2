/**
 * The demo's command line: a port for each emulator and for the bridge (0, the default, takes a
 * free one) and --keep-running. A bad port stops the demo with exit code 2 before anything starts.
 */
export interface DemoOptions {
  salesforcePort: number;
  partnerCenterPort: number;
  bridgePort: number;
  keepRunning: boolean;
}

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function portFlag(argv: readonly string[], name: string): number {
  const raw = flag(argv, name);
  if (raw === undefined) return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`${name} must be a port number 0-65535 (got "${raw}")`);
    process.exit(2);
  }
  return port;
}

export function parseOptions(argv: readonly string[]): DemoOptions {
  return {
    salesforcePort: portFlag(argv, '--salesforce-port'),
    partnerCenterPort: portFlag(argv, '--partner-center-port'),
    bridgePort: portFlag(argv, '--bridge-port'),
    keepRunning: argv.includes('--keep-running'),
  };
}
