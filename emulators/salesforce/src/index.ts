import { resolve } from 'node:path';
import express, { type Request } from 'express';
import { createControlPlane, CONTROL_PREFIX, listen } from '../../shared/src';
import { identityRouter, oauthRouter } from './auth/oauth-routes';
import { addControlRoutes } from './control/control-routes';
import { normalizeId } from './data/ids';
import { SEEDED_USERS } from './data/org';
import { EmulatorState } from './emulator-state';
import { restRouter } from './rest/rest-router';
import { deployPackage } from './metadata/deploy';
import { EMPTY_METADATA, applyComponents, standardSchema } from './metadata/metadata-deploys';
import { sourceToPackage } from './metadata/package-files';
import { metadataSoapRouter } from './metadata/soap-routes';
import { loadSnapshot, saveSnapshot } from './snapshot';
import { BayeuxServer, RECONNECT_WINDOW_MS } from './streaming/bayeux-server';
import { ChangeEventPublisher } from './streaming/change-events';
import { publishPlatformEvents } from './streaming/platform-events';

export interface SalesforceEmulatorOptions {
  port?: number;
  /** Source-format package directory; defaults to the repository's `force-app`. */
  forceAppDir?: string;
  /** Start with the standard objects only; deploy the package with the Metadata API. */
  noPackage?: boolean;
  /** Organization.IsSandbox (default false: a production org). */
  sandbox?: boolean;
  multiCurrency?: boolean;
  corporateCurrency?: string;
  currencyCodes?: string[];
  /** Organization-wide defaults of standard objects (default: Opportunity Private, others Public Read/Write). */
  sharingModels?: Partial<Record<string, 'Private' | 'Read' | 'ReadWrite'>>;
  /** State and Country/Territory Picklists (Account.BillingCountryCode …; default off). */
  stateAndCountryPicklists?: boolean;
  /** Event retention (CDC default: 72 h). */
  retentionMs?: number;
  /** Access token lifetime (default 2 h). */
  tokenTtlMs?: number;
  /** How long a CometD connect is held (default 3 s; Salesforce uses 110 s). */
  cometdTimeoutMs?: number;
  /** Forget CometD clients that do not reconnect within this window (default 40 s). */
  cometdReconnectWindowMs?: number;
  /** Daily API request allocation (default 15 000). */
  dailyApiRequests?: number;
  snapshotFile?: string;
  clientId?: string;
  clientSecret?: string;
  /** PEM certificate or public key for JWT bearer; without it a key pair is generated. */
  jwtCertificate?: string;
}

export interface RunningSalesforceEmulator {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** In-process handles for tests that need them. */
  state: EmulatorState;
  /** Private key matching the generated JWT certificate (when none was configured). */
  jwtPrivateKeyPem(): string;
  users: { admin: string; integration: string; seller: string; rep: string };
}

export const DEFAULT_CLIENT_ID = 'emulator-client';
export const DEFAULT_CLIENT_SECRET = 'emulator-secret';
const DEFAULT_FORCE_APP = resolve(__dirname, '../../../force-app');

/** Stats route keys: `GET /services/data/vXX.X/sobjects/Opportunity/{id}`, `POST /cometd/vXX.X`. */
export function routeKey(req: Request): string {
  const path = req.path
    .replace(/^\/services\/data\/v\d+\.\d+/, '/services/data/vXX.X')
    .replace(/^\/cometd\/\d+\.\d+/, '/cometd/vXX.X')
    .replace(/\/(query|queryAll)\/01g[^/]+$/, '/$1/{locator}')
    .replace(/^\/id\/[^/]+\/[^/]+$/, '/id/{orgId}/{userId}');
  const segs = path.split('/');
  const i = segs.indexOf('sobjects');
  if (i > 0 && segs[i - 1] !== 'composite') {
    const x = segs[i + 2];
    if (x !== undefined && segs[i + 3] !== undefined) segs[i + 3] = '{value}';
    else if (x !== undefined && x !== 'describe' && normalizeId(x)) segs[i + 2] = '{id}';
  }
  return `${req.method} ${segs.join('/')}`;
}

/**
 * The package goes in through the same deploy (and the same validation) as
 * `sf project deploy start`; a package Salesforce would refuse stops the start. The org is then
 * re-seeded so the seeded users hold the package's permission sets from the first request.
 */
function deployAtStart(state: EmulatorState, forceAppDir: string): void {
  const outcome = deployPackage(
    state.components,
    sourceToPackage(forceAppDir),
    standardSchema(state.config.settings),
    new Date(state.clock.now()).toISOString(),
  );
  if (outcome.failures.length) {
    const lines = outcome.failures.map((f) => `  ${f.componentType} ${f.fullName}: ${f.problem}`);
    throw new Error(`The package in ${forceAppDir} does not deploy:\n${lines.join('\n')}`);
  }
  applyComponents(state, outcome.components);
  state.reset();
}

/** Starts the Salesforce org emulator on 127.0.0.1 (`port` 0 picks a free port). */
export async function startSalesforceEmulator(
  options: SalesforceEmulatorOptions = {},
): Promise<RunningSalesforceEmulator> {
  const state = new EmulatorState(
    {
      clientId: options.clientId ?? DEFAULT_CLIENT_ID,
      clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
      tokenTtlMs: options.tokenTtlMs ?? 2 * 3600_000,
      retentionMs: options.retentionMs ?? 72 * 3600_000,
      cometdTimeoutMs: options.cometdTimeoutMs ?? 3000,
      cometdReconnectWindowMs: options.cometdReconnectWindowMs ?? RECONNECT_WINDOW_MS,
      dailyApiRequests: options.dailyApiRequests ?? 15_000,
      ...(options.jwtCertificate ? { jwtCertificate: options.jwtCertificate } : {}),
      settings: {
        sandbox: options.sandbox ?? false,
        multiCurrency: options.multiCurrency ?? false,
        corporateCurrency: options.corporateCurrency ?? 'USD',
        currencyCodes: options.currencyCodes ?? ['USD', 'EUR', 'GBP', 'SEK', 'JPY'],
        ...(options.sharingModels ? { sharingModels: options.sharingModels } : {}),
        stateAndCountryPicklists: options.stateAndCountryPicklists ?? false,
      },
    },
    EMPTY_METADATA,
  );
  if (!options.noPackage) deployAtStart(state, options.forceAppDir ?? DEFAULT_FORCE_APP);
  const publisher = new ChangeEventPublisher(state.events);
  state.org.onCommit((tx) => publisher.publish(tx));
  publishPlatformEvents(state.org, state.events);
  const bayeux = new BayeuxServer(state);
  const snapshotFile = options.snapshotFile;
  if (snapshotFile) loadSnapshot(state, snapshotFile);

  const plane = createControlPlane({
    routeKey,
    onReset: () => {
      bayeux.dropAllClients();
      state.reset();
      publisher.reset();
    },
    onExpireTokens: () => state.tokens.expireAll(),
    extraStats: () => ({
      cometdChannels: Object.fromEntries(bayeux.channelCounts),
      apiRequestsUsed: state.apiRequestsUsed,
    }),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (snapshotFile) {
    let pending = false;
    app.use((req, res, next) => {
      if (req.method !== 'GET') {
        res.on('finish', () => {
          if (pending) return;
          pending = true;
          setImmediate(() => {
            pending = false;
            saveSnapshot(state, snapshotFile);
          });
        });
      }
      next();
    });
  }
  // Instance URLs stored with a trailing slash (the Salesforce CLI does) give `//services/…`;
  // Salesforce's front end treats repeated slashes as one.
  app.use((req, _res, next) => {
    if (req.url.startsWith('//')) req.url = req.url.replace(/^\/+/, '/');
    next();
  });
  app.use(plane.gate);
  app.use(CONTROL_PREFIX, plane.router);
  addControlRoutes(plane.router, state, bayeux, publisher);
  app.use('/services/oauth2', oauthRouter(state));
  app.use(identityRouter(state));

  // CometD: faye first probes for WebSocket; anything but 101 keeps it on long-polling.
  app.get(['/cometd', '/cometd/:version'], (_req, res) => {
    res.status(400).json([{ error: '400::WebSocket is not supported', successful: false }]);
  });
  app.post('/cometd', (_req, res) => {
    res.status(400).json([
      {
        error: "400::API version in the URI is mandatory. URI format: '/cometd/60.0'",
        successful: false,
      },
    ]);
  });
  app.post('/cometd/:version', express.json({ limit: 32_768, type: () => true }), (req, res) => {
    const version = Number(req.params.version);
    if (!Number.isFinite(version) || version < 23) {
      res.status(400).json([
        {
          error: "400::Unsupported API version. Only API versions '23.0' and above are supported.",
          successful: false,
        },
      ]);
      return;
    }
    bayeux.handle(req, res);
  });
  app.use(
    '/cometd',
    (error: unknown, _req: Request, res: express.Response, next: (e?: unknown) => void) => {
      if (
        error &&
        typeof error === 'object' &&
        'type' in error &&
        error.type === 'entity.too.large'
      ) {
        res.status(413).type('text/plain').send('Maximum Request Size Exceeded');
        return;
      }
      next(error);
    },
  );

  app.use(metadataSoapRouter(state));
  app.use(restRouter(state));

  const server = await listen(app, options.port ?? 0);
  const userId = (username: string) => state.org.userByUsername(username) ?? '';
  return {
    url: server.url,
    port: server.port,
    state,
    users: {
      admin: userId(SEEDED_USERS.admin.username),
      integration: userId(SEEDED_USERS.integration.username),
      seller: userId(SEEDED_USERS.seller.username),
      rep: userId(SEEDED_USERS.rep.username),
    },
    jwtPrivateKeyPem: () => state.generatedKeys().privateKeyPem,
    stop: async () => {
      bayeux.close();
      if (snapshotFile) saveSnapshot(state, snapshotFile);
      await server.stop();
    },
  };
}
