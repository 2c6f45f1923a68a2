/**
 * How the demo speaks: numbered steps stamped with the time since it started, indented details,
 * and waits on an outcome with a deadline (never a fixed sleep).
 */
// The demo waits with the same helper as the test suites.
import { waitFor as waitUntil } from '../../test/support/wait-for';

const DEADLINE_MS = 20_000;

let step = 0;
const started = Date.now();

export const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)}s`;

export function heading(text: string): void {
  step += 1;
  console.log(`\n[${elapsed()}] ${step}. ${text}`);
}

export function say(text: string): void {
  console.log(`   ${text}`);
}

/** Polls `check` until it returns a value, for at most DEADLINE_MS. */
export function waitFor<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  return waitUntil(check, { description: what, timeoutMs: DEADLINE_MS });
}
