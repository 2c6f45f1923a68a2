/**
 * The Send Custom Notification standard action (REST API "Actions": Custom Notification Actions),
 * `POST /services/data/vXX.X/actions/standard/customNotificationAction`, and the log of what it
 * received for `GET /__emulator/notifications`.
 *
 * As documented: the body is `{"inputs": [ … ]}` (every action takes a list of inputs); each input
 * has `customNotifTypeId` (the CustomNotificationType's Id), `recipientIds`, `title`, `body`, and a
 * target (`targetId` or `targetPageRef`); the answer is one result per input, in order,
 * `{actionName, errors, isSuccess, outputValues}`. REST callers need the Send Custom
 * Notifications user permission. Each input is judged on its own: a bad one does not stop the
 * others. When no input succeeds the HTTP status is 400 (inferred: the docs show only success).
 */
import express, { type Router } from 'express';
import type { EmulatorState } from '../emulator-state';
import { normalizeId } from '../data/ids';
import { handle, restContext, sendJson } from './request-context';
import { SalesforceError } from './errors';

const ACTION = 'customNotificationAction';
/** Limits of the action's inputs (Custom Notification Actions; Messaging.CustomNotification). */
const TITLE_MAX = 250;
const BODY_MAX = 750;
const RECIPIENTS_MAX = 500;

export interface ReceivedNotification {
  /** DeveloperName of the notification type. */
  type: string;
  customNotifTypeId: string;
  recipients: string[];
  targetId: string | null;
  targetPageRef: string | null;
  title: string;
  body: string;
  /** The user whose session sent it. */
  senderId: string;
  receivedAt: string;
}

interface ActionError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** What the emulator received, oldest first; cleared by `/__emulator/reset`. */
export class NotificationLog {
  private items: ReceivedNotification[] = [];
  add(item: ReceivedNotification): void {
    this.items.push(item);
  }
  list(): ReceivedNotification[] {
    return structuredClone(this.items);
  }
  clear(): void {
    this.items = [];
  }
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** Salesforce accepts a list or a single id (or comma-separated ids) for recipientIds. */
function recipientList(value: unknown): string[] | null {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value.trim() !== '')
    return value.split(',').map((id) => id.trim());
  return null;
}

export function customNotificationRouter(state: EmulatorState, log: NotificationLog): Router {
  const router = express.Router({ mergeParams: true });

  router.get(
    `/actions/standard/${ACTION}`,
    handle((_req, res) => {
      sendJson(res, 200, {
        name: ACTION,
        label: 'Send Custom Notification',
        type: 'CUSTOM_NOTIFICATION_ACTION',
        inputs: [
          'customNotifTypeId',
          'recipientIds',
          'senderId',
          'title',
          'body',
          'targetId',
          'targetPageRef',
        ].map((name) => ({
          name,
          required: ['customNotifTypeId', 'recipientIds', 'title', 'body'].includes(name),
        })),
        outputs: [],
      });
    }),
  );

  router.post(
    `/actions/standard/${ACTION}`,
    handle((req, res) => {
      const body = req.body as { inputs?: unknown } | undefined;
      if (!body || typeof body !== 'object' || !Array.isArray(body.inputs)) {
        throw new SalesforceError(
          400,
          'JSON_PARSER_ERROR',
          'The request body must be a JSON object with an "inputs" array.',
        );
      }
      const { userId } = restContext(res);
      const access = state.org.accessChecker(userId);
      const allowed = access.userPermission('SendCustomNotifications');
      const results = body.inputs.map((input: unknown) => {
        const errors = allowed
          ? check(input)
          : [
              {
                statusCode: 'INSUFFICIENT_ACCESS',
                message:
                  "You don't have permission to send custom notifications (Send Custom Notifications user permission).",
                fields: [],
              },
            ];
        if (errors.length > 0) {
          return { actionName: ACTION, errors, isSuccess: false, outputValues: null };
        }
        const i = input as Record<string, unknown>;
        const typeRecord = state.org.store.get(String(i.customNotifTypeId))!;
        log.add({
          type: String(typeRecord.fields.DeveloperName),
          customNotifTypeId: String(typeRecord.fields.Id),
          recipients: recipientList(i.recipientIds)!.map((id) => normalizeId(id) ?? id),
          targetId: text(i.targetId) ? (normalizeId(String(i.targetId)) ?? null) : null,
          targetPageRef: text(i.targetPageRef),
          title: String(i.title),
          body: String(i.body),
          senderId: text(i.senderId) ?? userId,
          receivedAt: new Date(state.clock.now()).toISOString(),
        });
        return {
          actionName: ACTION,
          errors: null,
          isSuccess: true,
          outputValues: { SuccessMessage: 'Your custom notification is processed successfully.' },
        };
      });
      const anySuccess = results.some((r) => r.isSuccess);
      sendJson(res, anySuccess || results.length === 0 ? 200 : 400, results);
    }),
  );

  function check(input: unknown): ActionError[] {
    if (!input || typeof input !== 'object' || Array.isArray(input)) {
      return [
        { statusCode: 'INVALID_INPUT', message: 'Each input must be a JSON object.', fields: [] },
      ];
    }
    const i = input as Record<string, unknown>;
    const errors: ActionError[] = [];
    const missing = (name: string) =>
      errors.push({
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: `Missing required input parameter: ${name}`,
        fields: [name],
      });
    const typeId = text(i.customNotifTypeId);
    if (!typeId) missing('customNotifTypeId');
    else {
      const record = state.org.store.get(normalizeId(typeId) ?? typeId);
      if (!record || record.deleted || record.object !== 'CustomNotificationType') {
        errors.push({
          statusCode: 'INVALID_CROSS_REFERENCE_KEY',
          message: `invalid cross reference id: customNotifTypeId ${typeId} is not a custom notification type`,
          fields: ['customNotifTypeId'],
        });
      }
    }
    const recipients = recipientList(i.recipientIds);
    if (!recipients || recipients.length === 0) missing('recipientIds');
    else if (recipients.length > RECIPIENTS_MAX) {
      errors.push({
        statusCode: 'INVALID_INPUT',
        message: `A notification can have at most ${RECIPIENTS_MAX} recipients.`,
        fields: ['recipientIds'],
      });
    } else {
      for (const id of recipients) {
        const user = state.org.store.get(normalizeId(id) ?? id);
        if (!user || user.deleted || user.object !== 'User') {
          errors.push({
            statusCode: 'INVALID_CROSS_REFERENCE_KEY',
            message: `invalid cross reference id: recipient ${id} is not a user`,
            fields: ['recipientIds'],
          });
        }
      }
    }
    const title = text(i.title);
    if (!title) missing('title');
    else if (title.length > TITLE_MAX) tooLong('title', TITLE_MAX);
    const body = text(i.body);
    if (!body) missing('body');
    else if (body.length > BODY_MAX) tooLong('body', BODY_MAX);
    const targetId = text(i.targetId);
    if (!targetId && !text(i.targetPageRef)) missing('targetId');
    else if (targetId) {
      const target = state.org.store.get(normalizeId(targetId) ?? targetId);
      if (!target || target.deleted) {
        errors.push({
          statusCode: 'INVALID_CROSS_REFERENCE_KEY',
          message: `invalid cross reference id: targetId ${targetId}`,
          fields: ['targetId'],
        });
      }
    }
    return errors;

    function tooLong(name: string, max: number) {
      errors.push({
        statusCode: 'STRING_TOO_LONG',
        message: `${name}: data value too large (max length=${max})`,
        fields: [name],
      });
    }
  }

  return router;
}
