/** The bridge's real webhook receiver (verifier + express router) on an ephemeral loopback port. */
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

export interface Receiver {
  /** The URL to register with Partner Center. */
  webhookUrl: string;
  stored: VerifiedWebhookEvent[];
  /** Replace to make storing fail (the engine's inbox being down). */
  onEvent: (event: VerifiedWebhookEvent) => Promise<void>;
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
  app.use(createWebhookRouter({ verifier, logger, onEvent: (event) => receiver.onEvent(event) }));
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

/** Polls `condition` until it holds or the deadline passes (no fixed sleeps). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
