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
  values.push(...databasePasswords(config.bridge.databaseUrl));
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
      databaseUrl: redactedDatabaseUrl(config.bridge.databaseUrl),
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

/**
 * The two places a connection string carries a password: the user info (`user:password@host`)
 * and the `password` query parameter, which node-postgres also reads
 * (`postgres://user@host/db?password=…`). The authority ends at the first `/`, `?` or `#`; its user
 * info at the last `@`, so an unencoded `@` or `:` inside the password stays inside it.
 */
const USER_INFO_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)([^/?#]*)@(?=[^@/?#]*(?:[/?#]|$))/i;
const QUERY_PASSWORD = /([?&]password=)([^&#]*)/gi;

/** A database URL as it may be shown: every password replaced, everything else as written. */
export function redactedDatabaseUrl(url: string): string {
  return url
    .replace(USER_INFO_PASSWORD, (_all, before: string) => `${before}${REDACTED}@`)
    .replace(QUERY_PASSWORD, (_all, before: string) => `${before}${REDACTED}`);
}

/**
 * The database URL's passwords as written and percent-decoded: an error message may quote either
 * (node-postgres decodes the URL before it uses the password).
 */
function databasePasswords(url: string): string[] {
  const written = [
    USER_INFO_PASSWORD.exec(url)?.[2],
    ...[...url.matchAll(QUERY_PASSWORD)].map((match) => match[2]),
  ].filter((value): value is string => !!value);
  return written.flatMap((value) => {
    try {
      return [value, decodeURIComponent(value.replace(/\+/g, ' ')), decodeURIComponent(value)];
    } catch {
      return [value];
    }
  });
}
