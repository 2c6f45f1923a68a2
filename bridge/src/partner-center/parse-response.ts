import type { z } from 'zod';
import { PermanentError } from '../errors';

/**
 * Parses a Partner Center answer with its zod schema. A mismatch is a PermanentError naming the
 * fields that were wrong (retrying would get the same answer), never a crash deeper in the engine.
 */
export function parseResponse<T extends z.ZodType>(
  schema: T,
  body: unknown,
  what: string,
): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new PermanentError(
    `Partner Center returned ${what} in an unexpected shape — ${issues}`,
    'partner-center',
    'UNEXPECTED_RESPONSE',
    { cause: parsed.error },
  );
}
