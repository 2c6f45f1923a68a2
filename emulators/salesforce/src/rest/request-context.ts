import type { NextFunction, Request, Response } from 'express';
import { bearerToken } from '../auth/oauth-routes';
import type { TransactionOrigin } from '../data/org';
import type { EmulatorState } from '../emulator-state';
import { invalidSession, notFound, SalesforceError } from './errors';

export const API_VERSIONS = Array.from({ length: 46 }, (_, i) => `${20 + i}.0`); // 20.0 … 65.0

export interface RestContext {
  userId: string;
  apiVersion: string;
  /** `/services/data/v62.0` */
  base: string;
  clientId?: string;
}

export function restContext(res: Response): RestContext {
  return res.locals.rest as RestContext;
}

export function origin(res: Response): TransactionOrigin {
  const ctx = restContext(res);
  return {
    userId: ctx.userId,
    api: 'rest',
    apiVersion: ctx.apiVersion,
    ...(ctx.clientId !== undefined ? { clientId: ctx.clientId } : {}),
  };
}

/** `Sforce-Call-Options: client=CoSellSync, defaultNamespace=x` → `CoSellSync`. */
export function callOptionsClient(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (k?.toLowerCase() === 'client' && v) return v;
  }
  return undefined;
}

export function sendError(res: Response, error: SalesforceError): void {
  res
    .status(error.status)
    .type('application/json;charset=UTF-8')
    .send(JSON.stringify(error.body()));
}

export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json;charset=UTF-8').send(JSON.stringify(body));
}

/**
 * Version check, session check, daily API limit and `Sforce-Limit-Info` for every call under
 * `/services/data/vXX.X` ("Limit Info Header", "Status Codes and Error Responses").
 */
export function authenticate(state: EmulatorState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const version = String(req.params.version ?? '').replace(/^v/, '');
    if (!API_VERSIONS.includes(version)) {
      sendError(res, notFound());
      return;
    }
    const token = state.tokens.valid(bearerToken(req));
    if (!token) {
      sendError(res, invalidSession());
      return;
    }
    if (state.apiRequestsUsed >= state.config.dailyApiRequests) {
      sendError(
        res,
        new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
      );
      return;
    }
    state.apiRequestsUsed += 1;
    res.setHeader(
      'Sforce-Limit-Info',
      `api-usage=${state.apiRequestsUsed}/${state.config.dailyApiRequests}`,
    );
    const clientId = callOptionsClient(req.get('sforce-call-options'));
    const ctx: RestContext = {
      userId: token.userId,
      apiVersion: version,
      base: `/services/data/v${version}`,
      ...(clientId !== undefined ? { clientId } : {}),
    };
    res.locals.rest = ctx;
    next();
  };
}

/** Wraps a handler so thrown SalesforceErrors become documented error bodies. */
export function handle(fn: (req: Request, res: Response) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    try {
      fn(req, res);
    } catch (error) {
      if (error instanceof SalesforceError) sendError(res, error);
      else next(error);
    }
  };
}
