/**
 * During a Partner Center outage the bridge backs off as a whole instead of per job: after a few
 * requests in a row got no answer (refused, reset, timed out) the circuit opens and every request
 * fails at once, without touching the network, until a cool-down has passed; then requests flow
 * again, and the first one that gets no answer opens it for twice as long (up to a cap). Any
 * answer, even an error status, proves Partner Center is reachable and closes it.
 *
 * It wraps the fetch function, so the clients and their retry logic stay as they are; the engine
 * asks `retryInMs()` before it claims outbound work.
 */
import type { FetchFunction } from './types';

export interface CircuitBreakerOptions {
  /** Requests in a row without an answer that open the circuit. */
  threshold?: number;
  cooldownMs?: number;
  maxCooldownMs?: number;
  now?: () => number;
  onOpen?: (cooldownMs: number, cause: unknown) => void;
  onClose?: () => void;
}

export const DEFAULT_CIRCUIT = { threshold: 3, cooldownMs: 5_000, maxCooldownMs: 120_000 };

/** Thrown instead of sending while the circuit is open; nothing reached Partner Center. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(
    readonly retryInMs: number,
    cause: unknown,
  ) {
    super(
      `not sent: Partner Center did not answer the last requests; next try in ${Math.ceil(retryInMs / 1000)} s`,
      {
        cause,
      },
    );
  }
}

export interface CircuitBreaker {
  wrap(fetch: FetchFunction): FetchFunction;
  /** 0 while requests may be sent; otherwise how long until the next one may. */
  retryInMs(): number;
  readonly open: boolean;
}

export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = options.threshold ?? DEFAULT_CIRCUIT.threshold;
  const baseCooldownMs = options.cooldownMs ?? DEFAULT_CIRCUIT.cooldownMs;
  const maxCooldownMs = options.maxCooldownMs ?? DEFAULT_CIRCUIT.maxCooldownMs;
  const now = options.now ?? Date.now;
  let failuresInRow = 0;
  let cooldownMs = baseCooldownMs;
  let openUntil = 0;
  let lastCause: unknown;
  /** Opened at least once since the last answer: the next failure re-opens at once, for longer. */
  let tripped = false;

  function failed(cause: unknown): void {
    failuresInRow += 1;
    lastCause = cause;
    if (now() < openUntil) return;
    if (tripped) cooldownMs = Math.min(maxCooldownMs, cooldownMs * 2);
    else if (failuresInRow < threshold) return;
    tripped = true;
    openUntil = now() + cooldownMs;
    options.onOpen?.(cooldownMs, cause);
  }

  function answered(): void {
    const wasTripped = tripped;
    failuresInRow = 0;
    tripped = false;
    cooldownMs = baseCooldownMs;
    openUntil = 0;
    if (wasTripped) options.onClose?.();
  }

  const retryInMs = () => Math.max(0, openUntil - now());

  return {
    wrap(doFetch) {
      return (async (input: Parameters<FetchFunction>[0], init?: Parameters<FetchFunction>[1]) => {
        const wait = retryInMs();
        if (wait > 0) throw new CircuitOpenError(wait, lastCause);
        let response: Response;
        try {
          response = await doFetch(input, init);
        } catch (error) {
          failed(error);
          throw error;
        }
        answered();
        return response;
      }) as FetchFunction;
    },
    retryInMs,
    get open() {
      return retryInMs() > 0;
    },
  };
}
