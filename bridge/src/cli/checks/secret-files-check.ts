import { statSync } from 'node:fs';
import type { Config } from '../../config';
import { failed, passed, type CheckResult } from '../check-result';

/**
 * The files that hold the bridge's secrets: the env file (client secrets, passwords, the database
 * URL) and the Salesforce JWT private key. docs/DEPLOY.md makes the env file 640 root:cosell and
 * the key 600; one that every user of the machine may read gives those credentials to all of them.
 * Like ssh with a private key, doctor fails on that. Group access is the operator's choice (the
 * service group reads the env file).
 */
export function secretFilesCheck(config: Config, envFile: string | undefined): CheckResult {
  const files = [
    ...(envFile ? [{ path: envFile, holds: 'env file' }] : []),
    ...(config.salesforce.auth.mode === 'jwt'
      ? [{ path: config.salesforce.auth.privateKeyFile, holds: 'SALESFORCE_PRIVATE_KEY_FILE' }]
      : []),
  ];
  if (files.length === 0) {
    return passed(
      'secret-files',
      'Secret files',
      'no env file and no key file: the secrets come from the environment only',
    );
  }
  const modes = files.map((file) => ({ ...file, mode: modeOf(file.path) }));
  const open = modes.filter((file) => file.mode !== undefined && (file.mode & 0o007) !== 0);
  const shown = (file: (typeof modes)[number]) =>
    `${file.holds} ${file.path}${file.mode === undefined ? '' : ` (${file.mode.toString(8).padStart(3, '0')})`}`;
  if (open.length > 0) {
    return failed(
      'secret-files',
      'Secret files',
      `every user of this machine may open ${open.map(shown).join(' and ')}, which holds the bridge's credentials`,
      `chmod o-rwx ${open.map((file) => file.path).join(' ')} (docs/DEPLOY.md: the env file 640 root:cosell, the key 600 cosell)`,
    );
  }
  return passed(
    'secret-files',
    'Secret files',
    `${modes.map(shown).join(', ')}: not open to other users`,
  );
}

function modeOf(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    // Already read by loadConfig; if it vanished since, there is nothing left to expose.
    return undefined;
  }
}
