/**
 * Salesforce custom notifications to opportunity owners (issue 19), through the REST Send Custom
 * Notification action: `POST /services/data/vXX.X/actions/standard/customNotificationAction` with
 * `{"inputs": [{customNotifTypeId, recipientIds, targetId, title, body}, …]}`. An action takes a
 * list of inputs and answers one result per input (`{actionName, isSuccess, errors,
 * outputValues}`), so one request carries a whole batch: API calls are counted per request.
 * The integration user needs the Send Custom Notifications user permission (the package's
 * Co_Sell_Bridge_Integration grants it).
 */
import { z } from 'zod';
import type { Logger } from 'pino';
import { NOTIFICATION_TYPES, type OpportunityFacts, type OwnerNotification } from '../mapping';
import { TransientError } from '../errors';
import type { SalesforceConnection } from './connection';
import { assertRecordIds } from './opportunity-snapshot';
import { recordErrorToBridgeError } from './salesforce-errors';
import { soqlDateTime, soqlString } from './soql';

/**
 * Inputs per request. The action documentation names no smaller limit for this action; 100 keeps
 * a request far below the REST API's body limits and a failing request cheap to retry.
 */
export const NOTIFICATIONS_PER_REQUEST = 100;
/** Ids per `WHERE Id IN (…)`: well within SOQL's 100,000-character statement limit. */
const IDS_PER_QUERY = 200;

const actionResult = z.looseObject({
  isSuccess: z.boolean(),
  errors: z
    .array(z.looseObject({ statusCode: z.string().nullish(), message: z.string().nullish() }))
    .nullish(),
});

export interface NotificationSendResult {
  sent: number;
  /**
   * Inputs Salesforce did not send, with its reason; `transient` when that reason passes (a lock,
   * a limit, the service unavailable: salesforce-errors.ts), so the input is worth sending again.
   */
  failed: Array<{ notification: OwnerNotification; error: string; transient?: TransientError }>;
  /** REST requests made (the type lookup included). */
  apiCalls: number;
}

export interface OwnerNotificationClient {
  send(notifications: readonly OwnerNotification[]): Promise<NotificationSendResult>;
  /** Name, owner and Partner Center status of each opportunity (one query per 200 ids). */
  readFacts(ids: readonly string[]): Promise<{ facts: OpportunityFacts[]; apiCalls: number }>;
  /**
   * Referrals Microsoft sent that still wait for an answer, expire at or before `before`, and are
   * not flagged yet: at most `limit`, soonest first (one query).
   */
  findExpiring(before: Date, limit: number): Promise<OpportunityFacts[]>;
}

const factsRow = z.object({
  Id: z.string(),
  Name: z.string(),
  OwnerId: z.string(),
  Partner_Center_Status__c: z.string().nullish(),
  Partner_Center_Substatus__c: z.string().nullish(),
  Partner_Center_Expiration__c: z.string().nullish(),
  Partner_Center_Sync_Status__c: z.string().nullish(),
});

function toFacts(row: z.infer<typeof factsRow>): OpportunityFacts {
  return {
    id: row.Id,
    name: row.Name,
    ownerId: row.OwnerId,
    partnerCenterStatus: row.Partner_Center_Status__c ?? null,
    partnerCenterSubstatus: row.Partner_Center_Substatus__c ?? null,
    expiration: row.Partner_Center_Expiration__c ?? null,
    syncStatus: row.Partner_Center_Sync_Status__c ?? null,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * jsforce turns a non-2xx answer into an error; the action's 400 still carries one result per
 * input. Several results arrive as `data` (MULTIPLE_API_ERRORS); a single one has no `message`,
 * so jsforce keeps the raw body as the message (ERROR_HTTP_400).
 */
function resultsOfError(error: unknown): unknown[] | null {
  const data = (error as { data?: unknown } | null)?.data;
  if (Array.isArray(data)) return data;
  const raw = (data as { message?: unknown } | null | undefined)?.message;
  if (typeof raw !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.every((r) => actionResult.safeParse(r).success)
      ? parsed
      : null;
  } catch {
    return null;
  }
}

export function createOwnerNotificationClient(options: {
  salesforce: Pick<SalesforceConnection, 'run'>;
  apiVersion: string;
  logger: Logger;
}): OwnerNotificationClient {
  const { salesforce, logger } = options;
  const actionPath = `/services/data/v${options.apiVersion}/actions/standard/customNotificationAction`;
  let typeIds: Map<string, string> | undefined;

  async function notificationTypeIds(): Promise<{ ids: Map<string, string>; calls: number }> {
    if (typeIds) return { ids: typeIds, calls: 0 };
    const names = Object.values(NOTIFICATION_TYPES).map(soqlString).join(', ');
    const result = await salesforce.run('read custom notification types', async (conn) =>
      conn.query<{ Id: string; DeveloperName: string }>(
        `SELECT Id, DeveloperName FROM CustomNotificationType WHERE DeveloperName IN (${names})`,
      ),
    );
    typeIds = new Map(result.records.map((r) => [r.DeveloperName, r.Id]));
    return { ids: typeIds, calls: 1 };
  }

  return {
    async send(notifications) {
      const outcome: NotificationSendResult = { sent: 0, failed: [], apiCalls: 0 };
      if (notifications.length === 0) return outcome;
      const { ids, calls } = await notificationTypeIds();
      outcome.apiCalls += calls;
      const sendable: OwnerNotification[] = [];
      for (const n of notifications) {
        if (ids.has(NOTIFICATION_TYPES[n.kind])) sendable.push(n);
        else
          outcome.failed.push({
            notification: n,
            error: `The custom notification type ${NOTIFICATION_TYPES[n.kind]} is not in the org: deploy the package.`,
          });
      }
      for (const batch of chunks(sendable, NOTIFICATIONS_PER_REQUEST)) {
        const inputs = batch.map((n) => ({
          customNotifTypeId: ids.get(NOTIFICATION_TYPES[n.kind]),
          recipientIds: [n.recipientId],
          targetId: n.targetId,
          title: n.title,
          body: n.body,
        }));
        outcome.apiCalls += 1;
        const raw = await salesforce.run('send custom notifications', async (conn) => {
          try {
            return await conn.requestPost<unknown[]>(actionPath, { inputs });
          } catch (error) {
            const results = resultsOfError(error);
            if (results) return results;
            throw error;
          }
        });
        batch.forEach((notification, index) => {
          const parsed = actionResult.safeParse(Array.isArray(raw) ? raw[index] : undefined);
          if (parsed.success && parsed.data.isSuccess) {
            outcome.sent += 1;
            return;
          }
          const errors = parsed.success ? (parsed.data.errors ?? []) : [];
          const classified =
            errors.length > 0
              ? recordErrorToBridgeError(
                  errors.map((e) => ({
                    statusCode: e.statusCode ?? undefined,
                    message: e.message ?? '',
                  })),
                  'send custom notification',
                )
              : undefined;
          outcome.failed.push({
            notification,
            error:
              errors.map((e) => `${e.statusCode ?? 'ERROR'}: ${e.message ?? ''}`).join('; ') ||
              'no result for this notification',
            ...(classified instanceof TransientError ? { transient: classified } : {}),
          });
        });
      }
      if (outcome.failed.length > 0) {
        logger.warn(
          {
            event: 'salesforce.notifications_refused',
            refused: outcome.failed.length,
            err: outcome.failed[0]!.error,
          },
          'Salesforce refused custom notifications',
        );
      }
      return outcome;
    },

    async findExpiring(before, limit) {
      const result = await salesforce.run('find expiring referrals', async (conn) =>
        conn.query<Record<string, unknown>>(
          `SELECT Id, Name, OwnerId, Partner_Center_Status__c, Partner_Center_Substatus__c, Partner_Center_Expiration__c, Partner_Center_Sync_Status__c FROM Opportunity WHERE Partner_Center_Status__c = 'New' AND Partner_Center_Expires_Soon__c = false AND Partner_Center_Expiration__c != null AND Partner_Center_Expiration__c <= ${soqlDateTime(before)} ORDER BY Partner_Center_Expiration__c ASC LIMIT ${Math.max(1, Math.floor(limit))}`,
        ),
      );
      return result.records.map((record) => toFacts(factsRow.parse(record)));
    },

    async readFacts(ids) {
      const unique = [...new Set(ids)];
      assertRecordIds(unique);
      const facts: OpportunityFacts[] = [];
      let apiCalls = 0;
      for (const batch of chunks(unique, IDS_PER_QUERY)) {
        apiCalls += 1;
        const result = await salesforce.run('read opportunity owners', async (conn) =>
          conn.query<Record<string, unknown>>(
            `SELECT Id, Name, OwnerId, Partner_Center_Status__c, Partner_Center_Substatus__c, Partner_Center_Expiration__c, Partner_Center_Sync_Status__c FROM Opportunity WHERE Id IN (${batch.map(soqlString).join(', ')})`,
          ),
        );
        for (const record of result.records) facts.push(toFacts(factsRow.parse(record)));
      }
      return { facts, apiCalls };
    },
  };
}
