import type { KeyObject } from 'node:crypto';
import { generateJwtKeyPair, publicKeyFromPem } from './auth/jwt-bearer';
import { TokenStore } from './auth/tokens';
import { Clock } from './clock';
import { Org, type OrgSettings } from './data/org';
import type { Component } from './metadata/components';
import { MetadataDeploys } from './metadata/metadata-deploys';
import type { ForceAppMetadata } from './schema/metadata-loader';
import { EventLog } from './streaming/event-log';
import { QueryCursors } from './rest/query-cursors';
import { NotificationLog } from './rest/custom-notifications';

export interface EmulatorConfig {
  clientId: string;
  clientSecret: string;
  tokenTtlMs: number;
  retentionMs: number;
  cometdTimeoutMs: number;
  /** A client that does not reconnect within this window is forgotten (403 Unknown client). */
  cometdReconnectWindowMs: number;
  dailyApiRequests: number;
  jwtCertificate?: string;
  settings: OrgSettings;
}

/** Everything the routes share: org data, tokens, clock, events, cursors and counters. */
export class EmulatorState {
  readonly clock = new Clock();
  readonly org: Org;
  readonly tokens: TokenStore;
  readonly events: EventLog;
  readonly cursors = new QueryCursors();
  readonly deploys = new MetadataDeploys();
  /** Custom notifications received by the Send Custom Notification action. */
  readonly notifications = new NotificationLog();
  /** The org's deployed metadata components by `type:fullName` (see metadata/deploy.ts). */
  components = new Map<string, Component>();
  apiRequestsUsed = 0;
  private jwtKey?: KeyObject;
  private generatedJwtKeys?: { privateKeyPem: string; publicKeyPem: string };

  constructor(
    readonly config: EmulatorConfig,
    metadata: ForceAppMetadata,
  ) {
    this.org = new Org(metadata, config.settings, this.clock);
    this.tokens = new TokenStore(this.clock, config.tokenTtlMs);
    this.events = new EventLog(config.retentionMs);
  }

  /** The connected app's certificate; generated on first use when none was configured. */
  jwtPublicKey(): KeyObject {
    if (!this.jwtKey) {
      const pem = this.config.jwtCertificate ?? this.generatedKeys().publicKeyPem;
      this.jwtKey = publicKeyFromPem(pem);
    }
    return this.jwtKey;
  }

  generatedKeys(): { privateKeyPem: string; publicKeyPem: string } {
    this.generatedJwtKeys ??= generateJwtKeyPair();
    return this.generatedJwtKeys;
  }

  reset(): void {
    this.clock.reset();
    this.org.reset(this.config.settings);
    this.tokens.clear();
    this.tokens.ttlMs = this.config.tokenTtlMs;
    this.events.clear();
    this.events.retentionMs = this.config.retentionMs;
    this.cursors.clear();
    this.notifications.clear();
    this.apiRequestsUsed = 0;
  }
}
