/**
 * Polling with a deadline: the only way these tests wait. A fixed sleep either wastes time or
 * flakes; a condition with a deadline does neither, and on timeout it says what it last saw.
 */
export interface WaitOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** Pause between probes (default 100 ms). */
  intervalMs?: number;
  /** What we are waiting for, in words: it starts the timeout message. */
  description?: string;
}

export class WaitTimeoutError extends Error {
  constructor(
    message: string,
    readonly lastValue: unknown,
  ) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

/**
 * Calls `probe` until it returns something other than `undefined`, `null` or `false`, and
 * resolves with that value. A probe that throws counts as "not yet" (a service still starting);
 * the last error or value is quoted in the timeout message.
 */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 15_000, intervalMs = 100, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown = undefined;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? `${error.name}: ${error.message}` : error;
    }
    if (Date.now() >= deadline) {
      throw new WaitTimeoutError(
        `Timed out after ${timeoutMs} ms waiting for ${description}; last observed: ${show(last)}`,
        last,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Waits until `read()` satisfies `accept`, returning the accepted value; the timeout message
 * shows the last value read, which is what makes a failing end-to-end test debuggable.
 */
export async function waitForValue<T>(
  read: () => T | Promise<T>,
  accept: (value: T) => boolean,
  options: WaitOptions = {},
): Promise<T> {
  let last: T | undefined;
  try {
    return await waitFor(async () => {
      last = await read();
      return accept(last) ? { value: last } : undefined;
    }, options).then((box) => box.value);
  } catch (error) {
    if (error instanceof WaitTimeoutError && last !== undefined) {
      const description = options.description ?? 'condition';
      throw new WaitTimeoutError(
        `Timed out after ${options.timeoutMs ?? 15_000} ms waiting for ${description}; last observed: ${show(last)}`,
        last,
      );
    }
    throw error;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    const text = JSON.stringify(value);
    return text === undefined
      ? String(value)
      : text.length > 2000
        ? `${text.slice(0, 2000)}…`
        : text;
  } catch {
    return String(value);
  }
}
