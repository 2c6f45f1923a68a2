import { z } from 'zod';
import type { FaultRule } from '../../../shared/src';

/**
 * Webhook delivery faults, posted like any rule to `POST /__emulator/faults`:
 * `{"webhook":{"drop":true},"times":1}` loses a delivery (never sent, never retried);
 * `{"webhook":{"duplicate":2}}` sends that many copies; `{"webhook":{"delayMs":3000}}` holds it
 * first; `{"webhook":{"reorder":true}}` holds it until the next delivery has been sent.
 * `event` limits a rule to one event name.
 */
export const deliveryFaultSchema = z
  .object({
    drop: z.boolean().optional(),
    duplicate: z.number().int().min(2).max(20).optional(),
    delayMs: z.number().int().positive().max(600_000).optional(),
    reorder: z.boolean().optional(),
    event: z.string().min(1).optional(),
  })
  .strict()
  .refine((f) => f.drop || f.duplicate || f.delayMs || f.reorder, {
    message: 'a webhook fault needs one of drop, duplicate, delayMs, reorder',
  });

export type DeliveryFault = z.infer<typeof deliveryFaultSchema>;

export const isDeliveryFault = (rule: FaultRule): boolean => rule.webhook !== undefined;

/** `validateRule` for the shared control plane: accepts webhook rules, rejects malformed ones. */
export function validateDeliveryFaultRule(rule: FaultRule): string | undefined {
  if (rule.webhook === undefined) return undefined;
  if (rule.respond || rule.latencyMs !== undefined || rule.dropConnection || rule.match) {
    return 'a webhook rule cannot also carry match, respond, latencyMs or dropConnection';
  }
  const parsed = deliveryFaultSchema.safeParse(rule.webhook);
  return parsed.success
    ? undefined
    : `invalid webhook fault: ${parsed.error.issues.map((i) => i.message).join('; ')}`;
}

/** The delivery fault of a rule taken from the FaultBook (already validated on the way in). */
export function deliveryFaultOf(rule: FaultRule | undefined): DeliveryFault | undefined {
  if (!rule) return undefined;
  const parsed = deliveryFaultSchema.safeParse(rule.webhook);
  return parsed.success ? parsed.data : undefined;
}
