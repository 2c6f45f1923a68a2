import {
  ReferralListPageSchema,
  ReferralSchema,
  type JsonPatchOperation,
  type Referral,
  type ReferralCreate,
} from '../schemas';
import { PermanentError } from '../errors';
import {
  createApiRequester,
  odataString,
  sameOriginUrl,
  type ApiClientOptions,
} from './api-request';
import { parseResponse } from './parse-response';

/**
 * The Partner Center Referrals API (`/v1.0/engagements/referrals`): create, read, list and JSON
 * Patch referrals (learn.microsoft.com/partner-center/developer/referrals-api-introduction).
 * Every response is zod-parsed; every HTTP attempt goes through beforeApiCall/onApiCall (R1).
 */

export interface ReferralsClientOptions extends ApiClientOptions {
  /** e.g. https://api.partner.microsoft.com */
  baseUrl: string;
}

export interface ReferralWithETag {
  referral: Referral;
  /**
   * Concurrency token for If-Match: the body's `eTag` field, where Microsoft documents it (an
   * `ETag` response header, which it does not document, is used only when the body has none).
   */
  eTag: string | undefined;
}

export interface PatchOptions {
  /** Send If-Match; a stale value gets PreconditionFailedError (412). */
  ifMatch?: string;
}

/**
 * Microsoft documents PATCH as 204 No Content: no referral and no new eTag. Both fields are
 * filled only if a service does send them (parsed liberally, never asked for).
 */
export interface PatchResult {
  referral?: Referral;
  eTag: string | undefined;
}

export interface ReferralsClient {
  /** POST. Not retried after an ambiguous failure: look up by externalReferenceId first. */
  create(body: ReferralCreate): Promise<ReferralWithETag>;
  get(id: string): Promise<ReferralWithETag>;
  /** The referral we created for a CRM record, or null. */
  findByExternalReferenceId(externalReferenceId: string): Promise<Referral | null>;
  /**
   * Every referral updated at or after `sinceIso`, oldest first, following @odata.nextLink. No
   * `$top`: Partner Center reads it as the total to retrieve, not a page size.
   */
  listUpdatedSince(sinceIso: string): AsyncIterable<Referral>;
  patch(id: string, operations: JsonPatchOperation[], options?: PatchOptions): Promise<PatchResult>;
  /** All referrals of one engagement (the partner's and Microsoft's side of a co-sell deal). */
  listByEngagement(engagementId: string): Promise<Referral[]>;
  /**
   * One cheap read (`$top=1`) that proves sign-in and the Referrals role, for `setup` and `doctor`
   * (R2/R6/R7): resolves, or throws AuthenticationError / AccessDeniedError with the fix.
   */
  checkAccess(): Promise<void>;
}

export const REFERRALS_PATH = '/v1.0/engagements/referrals';
/** Stops a service that keeps handing out nextLinks from looping forever. */
const MAX_PAGES = 10_000;

export function createReferralsClient(options: ReferralsClientOptions): ReferralsClient {
  const send = createApiRequester(options);
  const collectionUrl = `${options.baseUrl.replace(/\/+$/, '')}${REFERRALS_PATH}`;
  const itemUrl = (id: string) => `${collectionUrl}/${encodeURIComponent(requireId(id))}`;

  const withETag = (body: unknown, headers: Headers, what: string): ReferralWithETag => {
    const referral = parseResponse(ReferralSchema, body, what);
    return { referral, eTag: referral.eTag ?? headers.get('etag') ?? undefined };
  };

  async function* pages(firstUrl: string, operation: string): AsyncGenerator<Referral> {
    let next: string | undefined = firstUrl;
    for (let page = 1; next !== undefined; page += 1) {
      if (page > MAX_PAGES) {
        throw new PermanentError(`${operation}: more than ${MAX_PAGES} pages`, 'partner-center');
      }
      const response = await send({
        api: 'referrals',
        operation,
        method: 'GET',
        url: next,
        idempotent: true,
      });
      const parsed = parseResponse(ReferralListPageSchema, response.body, `a page of ${operation}`);
      yield* parsed.value;
      const link = parsed['@odata.nextLink'];
      if (!link) return;
      const resolved = sameOriginUrl(link, collectionUrl);
      if (!resolved) {
        throw new PermanentError(
          `${operation}: Partner Center sent a next-page link to another origin; not following it with the bridge's token`,
          'partner-center',
          'FOREIGN_NEXT_LINK',
        );
      }
      next = resolved.toString();
    }
  }

  const listUrl = (query: Record<string, string>) => {
    const url = new URL(collectionUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  };

  return {
    async create(body) {
      const response = await send({
        api: 'referrals',
        operation: 'create referral',
        method: 'POST',
        url: collectionUrl,
        body,
        idempotent: false,
      });
      return withETag(response.body, response.headers, 'the created referral');
    },

    async get(id) {
      const response = await send({
        api: 'referrals',
        operation: `get referral ${id}`,
        method: 'GET',
        url: itemUrl(id),
        idempotent: true,
      });
      return withETag(response.body, response.headers, `referral ${id}`);
    },

    async findByExternalReferenceId(externalReferenceId) {
      const url = listUrl({
        $filter: `externalReferenceId eq ${odataString(externalReferenceId)}`,
        $orderby: 'createdDateTime asc',
        $top: '1',
      });
      const response = await send({
        api: 'referrals',
        operation: `find referral for ${externalReferenceId}`,
        method: 'GET',
        url,
        idempotent: true,
      });
      const page = parseResponse(ReferralListPageSchema, response.body, 'the referral lookup');
      return page.value.find((r) => r.externalReferenceId === externalReferenceId) ?? null;
    },

    listUpdatedSince(sinceIso) {
      const since = new Date(sinceIso);
      if (Number.isNaN(since.getTime())) {
        throw new PermanentError(
          `listUpdatedSince needs an ISO date-time, got "${sinceIso}"`,
          'bridge',
        );
      }
      // OData v4 DateTimeOffset literals are unquoted.
      const url = listUrl({
        $filter: `updatedDateTime ge ${since.toISOString()}`,
        $orderby: 'updatedDateTime asc',
      });
      return pages(url, `list referrals updated since ${since.toISOString()}`);
    },

    async patch(id, operations, { ifMatch } = {}) {
      const response = await send({
        api: 'referrals',
        operation: `update referral ${id}`,
        method: 'PATCH',
        url: itemUrl(id),
        body: operations,
        headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch },
        // Only replace/add of fixed values: applying the same patch twice gives the same referral.
        idempotent: true,
      });
      if (response.body === undefined || response.status === 204) {
        return { eTag: response.headers.get('etag') ?? undefined };
      }
      return withETag(response.body, response.headers, `the updated referral ${id}`);
    },

    async checkAccess() {
      const response = await send({
        api: 'referrals',
        operation: 'check Referrals API access',
        method: 'GET',
        url: listUrl({ $top: '1' }),
        idempotent: true,
      });
      parseResponse(ReferralListPageSchema, response.body, 'the access check');
    },

    async listByEngagement(engagementId) {
      const url = listUrl({ $filter: `engagementId eq ${odataString(engagementId)}` });
      const all: Referral[] = [];
      for await (const referral of pages(url, `list referrals of engagement ${engagementId}`)) {
        all.push(referral);
      }
      return all;
    },
  };
}

function requireId(id: string): string {
  if (id.trim() === '') throw new PermanentError('A referral id is required', 'bridge');
  return id;
}
