import type { Request } from 'express';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Stats key: method plus path with ids and the tenant segment normalised. */
export function routeKey(req: Request): string {
  const path = req.path
    .replace(/^\/[^/]+\/oauth2\//, '/{tenant}/oauth2/')
    .replace(GUID, '{id}')
    .replace(/\/+$/, '');
  return `${req.method} ${path || '/'}`;
}

export const REFERRALS_PATH = '/v1.0/engagements/referrals';
export const WEBHOOK_API_PATH = '/webhooks/v1';
