import { ConfigError } from '../errors';
import type { BridgeEnvironment } from './types';

/**
 * R5: pointing a test org at a production Partner Center tenant (or a production org at a test
 * tenant) must be impossible by accident. The rule, by BRIDGE_ENVIRONMENT:
 *
 * - `emulator`: every Salesforce and Partner Center URL, and the public URL the emulator delivers
 *   webhooks to, must be loopback (localhost, 127.0.0.0/8, ::1). Nothing leaves the machine.
 * - `production`: the Salesforce login URL must be an https production host (not
 *   test.salesforce.com, not a `.sandbox.` / `.scratch.` / `.develop.` My Domain, not loopback),
 *   every Partner Center URL must be https on Microsoft's own domains, the public URL (if set)
 *   must be https, and BRIDGE_SANDBOX_ALLOWED_TENANT_ID must not be set (a sandbox
 *   acknowledgement in a production config means a sandbox file was copied and relabelled).
 * - `sandbox`: the Salesforce login URL must not be a production Salesforce host
 *   (login.salesforce.com or a plain `<name>.my.salesforce.com`). Partner Center has no separate
 *   test cloud, so a test tenant lives on Microsoft's production hosts: calling them from a
 *   sandbox requires BRIDGE_SANDBOX_ALLOWED_TENANT_ID to name exactly PARTNER_CENTER_TENANT_ID.
 *   Writing the tenant id twice is the deliberate act that an accidental copy lacks.
 */
export interface EnvironmentGuardInput {
  readonly environment: BridgeEnvironment;
  readonly salesforceLoginUrl: URL;
  readonly partnerCenterUrls: ReadonlyArray<{ readonly variable: string; readonly url: URL }>;
  readonly publicUrl: URL | undefined;
  /** PARTNER_CENTER_CERTIFICATE_HOSTS (host or host:port): where webhook certificates may come from. */
  readonly certificateHosts?: readonly string[];
  readonly tenantId: string;
  readonly sandboxAllowedTenantId: string | undefined;
}

export type SalesforceHostClass = 'loopback' | 'production' | 'non-production' | 'other';

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/** Microsoft's documented host for the webhook signing certificate (Partner Center webhooks doc). */
export const MICROSOFT_CERTIFICATE_HOST = '3psostorageacct.blob.core.windows.net';

/**
 * Where a production bridge may download the webhook signing certificate from. The bridge builds
 * no chain for it (webhook/README.md, "Chain validation limits"): the host is what makes it
 * Microsoft's. Azure's shared domains do not qualify, since any Azure customer publishes files
 * under <account>.blob.core.windows.net with Microsoft's TLS certificate: only Microsoft's
 * documented storage account, or a host of microsoft.com itself.
 */
export function isMicrosoftCertificateHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === MICROSOFT_CERTIFICATE_HOST ||
    host === 'microsoft.com' ||
    host.endsWith('.microsoft.com')
  );
}

/** Microsoft-operated hosts: the real Partner Center / Azure AD / certificate storage. */
export function isMicrosoftHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return ['microsoft.com', 'microsoftonline.com', 'windows.net'].some(
    (domain) => host === domain || host.endsWith(`.${domain}`),
  );
}

/**
 * Salesforce hosts by kind of org. My Domain formats (Salesforce Help "My Domain URL Formats"):
 * production `<name>.my.salesforce.com`; sandbox `<name>--<sbx>.sandbox.my.salesforce.com`;
 * scratch `.scratch.my.salesforce.com`; Developer Edition `.develop.my.salesforce.com`;
 * Trailhead playgrounds `.trailblaze.my.salesforce.com`; generic sandbox login test.salesforce.com.
 */
export function classifySalesforceHost(hostname: string): SalesforceHostClass {
  const host = hostname.toLowerCase();
  if (isLoopbackHost(host)) return 'loopback';
  if (host === 'test.salesforce.com') return 'non-production';
  if (/\.(sandbox|scratch|develop|trailblaze)\.my\.salesforce\.com$/.test(host)) {
    return 'non-production';
  }
  if (host === 'login.salesforce.com' || /\.my\.salesforce\.com$/.test(host)) return 'production';
  if (host.endsWith('.salesforce.com') || host.endsWith('.force.com')) return 'production';
  return 'other';
}

/** Throws a one-line ConfigError when the configuration crosses environments. */
export function checkEnvironmentSafety(input: EnvironmentGuardInput): void {
  switch (input.environment) {
    case 'emulator':
      return checkEmulator(input);
    case 'production':
      return checkProduction(input);
    case 'sandbox':
      return checkSandbox(input);
  }
}

function checkEmulator(input: EnvironmentGuardInput): void {
  if (!isLoopbackHost(input.salesforceLoginUrl.hostname)) {
    throw new ConfigError(
      `SALESFORCE_LOGIN_URL must be a loopback URL (localhost/127.0.0.1) when BRIDGE_ENVIRONMENT=emulator, got host ${input.salesforceLoginUrl.hostname}`,
      'SALESFORCE_LOGIN_URL',
    );
  }
  for (const { variable, url } of input.partnerCenterUrls) {
    if (!isLoopbackHost(url.hostname)) {
      throw new ConfigError(
        `${variable} must be a loopback URL (localhost/127.0.0.1) when BRIDGE_ENVIRONMENT=emulator, got host ${url.hostname}`,
        variable,
      );
    }
  }
  // The emulator delivers webhooks to this URL and setup probes it: off this machine, both would
  // leave it (it was the one URL the emulator guard let through).
  if (input.publicUrl && !isLoopbackHost(input.publicUrl.hostname)) {
    throw new ConfigError(
      `BRIDGE_PUBLIC_URL must be a loopback URL (localhost/127.0.0.1) when BRIDGE_ENVIRONMENT=emulator (the emulator delivers webhooks to it), got host ${input.publicUrl.hostname}`,
      'BRIDGE_PUBLIC_URL',
    );
  }
  // An unsigned webhook names its certificate URL: in emulator mode no host off this machine.
  for (const host of input.certificateHosts ?? []) {
    if (!isLoopbackHost(hostnameOf(host))) {
      throw new ConfigError(
        `PARTNER_CENTER_CERTIFICATE_HOSTS must list only loopback hosts when BRIDGE_ENVIRONMENT=emulator, got ${host}`,
        'PARTNER_CENTER_CERTIFICATE_HOSTS',
      );
    }
  }
}

/** `host`, `host:port` or `[v6]:port` → the host name alone. */
function hostnameOf(host: string): string {
  const v6 = /^\[([^\]]+)\]/.exec(host);
  return v6 ? v6[1]! : host.replace(/:\d+$/, '');
}

function checkProduction(input: EnvironmentGuardInput): void {
  const login = input.salesforceLoginUrl;
  const kind = classifySalesforceHost(login.hostname);
  if (login.protocol !== 'https:' || (kind !== 'production' && kind !== 'other')) {
    throw new ConfigError(
      `SALESFORCE_LOGIN_URL must be an https production org URL (e.g. https://mydomain.my.salesforce.com) when BRIDGE_ENVIRONMENT=production, got ${login.origin}`,
      'SALESFORCE_LOGIN_URL',
    );
  }
  for (const { variable, url } of input.partnerCenterUrls) {
    if (url.protocol !== 'https:' || !isMicrosoftHost(url.hostname)) {
      throw new ConfigError(
        `${variable} must be an https Microsoft host when BRIDGE_ENVIRONMENT=production, got ${url.origin}`,
        variable,
      );
    }
  }
  if (input.publicUrl && input.publicUrl.protocol !== 'https:') {
    throw new ConfigError(
      'BRIDGE_PUBLIC_URL must be https when BRIDGE_ENVIRONMENT=production (Partner Center only delivers webhooks over HTTPS)',
      'BRIDGE_PUBLIC_URL',
    );
  }
  if (input.sandboxAllowedTenantId !== undefined) {
    throw new ConfigError(
      'BRIDGE_SANDBOX_ALLOWED_TENANT_ID must not be set when BRIDGE_ENVIRONMENT=production (it marks a sandbox configuration)',
      'BRIDGE_SANDBOX_ALLOWED_TENANT_ID',
    );
  }
  for (const host of input.certificateHosts ?? []) {
    if (!isMicrosoftCertificateHost(hostnameOf(host))) {
      throw new ConfigError(
        `PARTNER_CENTER_CERTIFICATE_HOSTS must list only Microsoft hosts when BRIDGE_ENVIRONMENT=production, got ${host}`,
        'PARTNER_CENTER_CERTIFICATE_HOSTS',
      );
    }
  }
}

function checkSandbox(input: EnvironmentGuardInput): void {
  const login = input.salesforceLoginUrl;
  if (classifySalesforceHost(login.hostname) === 'production') {
    throw new ConfigError(
      `SALESFORCE_LOGIN_URL points at a production Salesforce host (${login.hostname}) but BRIDGE_ENVIRONMENT=sandbox; use https://test.salesforce.com or the sandbox My Domain (…sandbox.my.salesforce.com)`,
      'SALESFORCE_LOGIN_URL',
    );
  }
  const microsoft = input.partnerCenterUrls.find(({ url }) => isMicrosoftHost(url.hostname));
  if (microsoft && input.sandboxAllowedTenantId !== input.tenantId) {
    throw new ConfigError(
      `${microsoft.variable} is Microsoft's production Partner Center (${microsoft.url.hostname}) but BRIDGE_ENVIRONMENT=sandbox; set BRIDGE_SANDBOX_ALLOWED_TENANT_ID to the PARTNER_CENTER_TENANT_ID of your test tenant to confirm`,
      'BRIDGE_SANDBOX_ALLOWED_TENANT_ID',
    );
  }
}
