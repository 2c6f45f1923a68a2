import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who holds a lease: host and process id in front of a random token. A lease whose process on
 * this host is gone was left by a crash (kill -9, OOM) and can be released at once instead of
 * blocking its work for the rest of the lease. A holder on another host (Postgres replicas) is
 * never judged this way: its lease simply runs out. Found by the chaos suite: after a kill the restarted bridge waited the full
 * 5-minute lease before it touched the jobs and audit events the dead process had taken.
 */
export const THIS_PROCESS = Object.freeze({
  host: hostname(),
  pid: process.pid,
  /** `<host>/<pid>`, the owner name of claims and heartbeats. */
  owner: `${hostname()}/${process.pid}`,
});
const OWNER = THIS_PROCESS.owner;

export function newClaimToken(): string {
  return `${OWNER}/${randomUUID()}`;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True only for a process on this host that no longer exists; a process on another host, or
 * one that cannot be checked, counts as alive.
 */
export function isGoneLocalProcess(host: string | undefined, pid: number): boolean {
  if (host !== hostname() || !Number.isSafeInteger(pid) || pid <= 0) return false;
  return pid !== process.pid && !isProcessAlive(pid);
}

/** True only when the token names a process on this host that no longer exists. */
export function isAbandonedClaim(token: string): boolean {
  const [host, pid] = token.split('/');
  return isGoneLocalProcess(host, Number(pid));
}
