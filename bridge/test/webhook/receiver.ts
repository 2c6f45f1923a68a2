/**
 * The bridge's real webhook receiver (verifier + express router) on an ephemeral loopback port:
 * the one receiver of the bridge's suites (the webhook tests keep what it stores, the sync world
 * hands it to the engine).
 */
import express from 'express';
import type { Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import pino from 'pino';
import {
  createWebhookRouter,
  createWebhookVerifier,
  WEBHOOK_ROUTE,
  type VerifiedWebhookEvent,
} from '../../src/webhook';
import { forTestFile } from '../../../test/support/for-test-file';
import { waitFor as waitForCondition } from '../../../test/support/wait-for';

export interface Receiver {
  /** The URL to register with Partner Center. */
  webhookUrl: string;
  stored: VerifiedWebhookEvent[];
  /** Replace to make storing fail (the engine's inbox being down), or to hand to the engine. */
  onEvent: (event: VerifiedWebhookEvent, rawBody: Buffer) => Promise<void>;
  stop(): Promise<void>;
}

export async function startReceiver(options: {
  allowedCertificateHosts: string[];
  logger?: Logger;
}): Promise<Receiver> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const verifier = createWebhookVerifier({
    allowedCertificateHosts: options.allowedCertificateHosts,
    logger,
  });
  const receiver: Receiver = {
    webhookUrl: '',
    stored: [],
    onEvent: async (event) => {
      receiver.stored.push(event);
    },
    stop: async () => undefined,
  };
  const app = express();
  app.use(
    createWebhookRouter({
      verifier,
      logger,
      onEvent: (event, rawBody) => receiver.onEvent(event, rawBody),
    }),
  );
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  receiver.webhookUrl = `http://127.0.0.1:${port}${WEBHOOK_ROUTE}`;
  receiver.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/**
 * A receiver the whole test file shares (test/support's forTestFile) that trusts certificates
 * served from `emulator`'s host. Call it after the emulator's own per-file helper, so the emulator
 * is running (and has its URL) when the receiver starts.
 */
export function receiverForFile(emulator: { url: string }): Receiver {
  return forTestFile(
    () => startReceiver({ allowedCertificateHosts: [new URL(emulator.url).host] }),
    { stop: (receiver) => receiver.stop() },
  );
}

/** test/support's deadline polling (no fixed sleeps), with this suite's in-process defaults. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  await waitForCondition(condition, { timeoutMs, intervalMs: 20, description: what });
}
