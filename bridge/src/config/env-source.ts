import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError } from '../errors';

export type EnvSource = Readonly<Record<string, string | undefined>>;

/**
 * Merges a `.env` file under the real environment with Node's own semantics
 * (`process.loadEnvFile`): a variable present in the real environment always wins, even when empty,
 * so an operator can override a file value for one run without editing the file.
 */
export function mergeEnvFile(env: EnvSource, envFile: string | undefined): EnvSource {
  if (envFile === undefined) return env;
  let content: string;
  try {
    content = readFileSync(envFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    const fix =
      code === 'ENOENT'
        ? 'check the path given to --env-file (relative paths start in the working directory)'
        : 'make it a readable file for the user running cosell';
    throw new ConfigError(`env file ${envFile} cannot be read (${code}): ${fix}`, 'envFile');
  }
  const fromFile = parseEnv(content);
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) merged[name] = value;
  }
  return merged;
}

/**
 * The process environment, for the CLI entry point to hand to `loadConfig`. Reading
 * `process.env` happens here and nowhere else outside `config/` (DESIGN.md: config is parsed once,
 * in one place); everything else receives the environment as an argument.
 */
export function processEnvironment(): EnvSource {
  return process.env;
}
