import { z } from 'zod';
import {
  AccessDeniedError,
  AuthenticationError,
  PermanentError,
  PreconditionFailedError,
  TransientError,
} from '../errors';
import type { PartnerCenterApi } from './types';

/**
 * Pure mapping of a Partner Center error answer to the bridge's error taxonomy. Two body shapes
 * exist: the Referrals API's OData style `{"error":{"code","message","innerError"}}` (see the
 * 412 body in microsoft/Partner-Center-Referrals#4) and api.partnercenter's
 * `{"code","description","data","source"}`.
 */

/** The role Partner Center requires for the Referrals API (R2/R15). */
export const REFERRALS_ADMIN_ROLE = 'Referrals admin';

const odataErrorSchema = z.looseObject({
  error: z.looseObject({ code: z.string().optional(), message: z.string().optional() }),
});
const partnerCenterErrorSchema = z.looseObject({
  code: z.union([z.string(), z.number()]).optional(),
  description: z.string().optional(),
  message: z.string().optional(),
});

export interface ServiceError {
  code?: string;
  message?: string;
}

/** Reads the service's own code and message from whichever shape it used. */
export function readServiceError(body: unknown): ServiceError {
  const odata = odataErrorSchema.safeParse(body);
  if (odata.success) return { code: odata.data.error.code, message: odata.data.error.message };
  const pc = partnerCenterErrorSchema.safeParse(body);
  if (pc.success) {
    return {
      code: pc.data.code === undefined ? undefined : String(pc.data.code),
      message: pc.data.description ?? pc.data.message,
    };
  }
  if (typeof body === 'string' && body.trim() !== '') return { message: body.trim().slice(0, 300) };
  return {};
}

export interface ErrorResponse {
  api: PartnerCenterApi;
  /** What we were doing, for the message: "create referral", "get referral 123". */
  operation: string;
  status: number;
  body: unknown;
  retryAfterMs?: number;
}

export function errorFromResponse(response: ErrorResponse): Error {
  const { status, operation } = response;
  const service = readServiceError(response.body);
  const detail = [service.code, service.message].filter(Boolean).join(': ');
  const suffix = detail ? ` — ${detail}` : '';
  const apiName =
    response.api === 'webhooks' ? 'Partner Center webhook API' : 'Partner Center Referrals API';

  if (status === 401) {
    return new AuthenticationError(
      `${apiName} rejected the bridge's access token for ${operation} (401)${suffix}. Fix: the app registration needs the Microsoft Partner Center delegated permission with admin consent, and the signed-in account needs the ${REFERRALS_ADMIN_ROLE} role; run \`cosell doctor\`.`,
      'partner-center',
    );
  }
  if (status === 403) {
    return new AccessDeniedError(
      `${apiName} denied ${operation} (403)${suffix}. Fix: in Partner Center → Account settings → User management, give the bridge's account the ${REFERRALS_ADMIN_ROLE} role (Referrals user is read-only for other people's deals).`,
      'partner-center',
      REFERRALS_ADMIN_ROLE,
    );
  }
  if (status === 412) {
    return new PreconditionFailedError(
      `${apiName}: the referral changed since it was read (412 on ${operation})${suffix}`,
      'partner-center',
    );
  }
  if (status === 429) {
    return new TransientError(
      `${apiName} throttled ${operation} (429)${suffix}`,
      'partner-center',
      response.retryAfterMs,
    );
  }
  if (status >= 500 || status === 408) {
    return new TransientError(
      `${apiName} failed ${operation} with HTTP ${status}${suffix}`,
      'partner-center',
      response.retryAfterMs,
    );
  }
  return new PermanentError(
    `${apiName} refused ${operation} with HTTP ${status}${suffix}`,
    'partner-center',
    service.code ?? `HTTP_${status}`,
  );
}
