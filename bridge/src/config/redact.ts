import type { Config } from './types';

export const REDACTED = '[redacted]';

/**
 * Every secret value in the configuration, for the logger's last-resort scrubber and for tests
 * that grep output. Includes the password inside a database URL when there is one.
 */
export function secretValues(config: Config): string[] {
  const values: string[] = [config.partnerCenter.clientSecret];
  const { auth } = config.salesforce;
  if (auth.mode === 'client_credentials') values.push(auth.clientSecret);
  else values.push(auth.privateKeyPem.trim(), ...pemBodyLines(auth.privateKeyPem));
  const { user } = config.partnerCenter;
  if (user.mode === 'password') values.push(user.password);
  else values.push(user.refreshToken);
  const databasePassword = urlPassword(config.bridge.databaseUrl);
  if (databasePassword) values.push(databasePassword);
  if (config.bridge.metricsToken) values.push(config.bridge.metricsToken);
  // Longest first so a scrubber replaces a whole secret before any secret that is a substring of it.
  return [...new Set(values.filter((value) => value.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
}

/** The config with every secret replaced, for `doctor`/`status` output. */
export function redactedConfig(config: Config): Config {
  const { auth } = config.salesforce;
  const { user } = config.partnerCenter;
  const databasePassword = urlPassword(config.bridge.databaseUrl);
  return {
    ...config,
    salesforce: {
      ...config.salesforce,
      auth:
        auth.mode === 'client_credentials'
          ? { ...auth, clientSecret: REDACTED }
          : { ...auth, privateKeyPem: REDACTED },
    },
    partnerCenter: {
      ...config.partnerCenter,
      clientSecret: REDACTED,
      user:
        user.mode === 'password'
          ? { ...user, password: REDACTED }
          : { ...user, refreshToken: REDACTED },
    },
    bridge: {
      ...config.bridge,
      databaseUrl: databasePassword
        ? config.bridge.databaseUrl.replace(`:${databasePassword}@`, `:${REDACTED}@`)
        : config.bridge.databaseUrl,
    },
  };
}

/** Base64 lines of a PEM body: a log line quoting part of a key would otherwise slip through. */
function pemBodyLines(pem: string): string[] {
  return pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'));
}

function urlPassword(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]+)@/i.exec(url);
  return match?.[1];
}
