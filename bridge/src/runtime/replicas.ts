import type { BridgeHeartbeat, LeaseStatus } from '../store';

/** Every bridge process sharing the store, and which one holds the CDC subscription (pure). */
export interface ReplicaView {
  owner: string;
  host: string;
  pid: number;
  startedAt: string;
  lastHeartbeat: string;
  /** A fresh beat and, on this host, a pid that still exists. */
  alive: boolean;
  holdsCdcLease: boolean;
}

export interface ReplicasReport {
  replicas: ReplicaView[];
  /** The CDC lease (`cdc`): its holder (`<host>/<pid>/…`), token and expiry; null if never taken. */
  cdcLease: (LeaseStatus & { holderOwner: string }) | null;
}

/** `<host>/<pid>` of a lease holder or claim token (`<host>/<pid>/<random>`). */
const ownerOf = (holder: string) => holder.split('/').slice(0, 2).join('/');

export function replicasReport(
  beats: readonly BridgeHeartbeat[],
  leases: readonly LeaseStatus[],
  now: Date,
  options: { staleMs: number; isGone: (host: string, pid: number) => boolean; lease?: string },
): ReplicasReport {
  const lease = leases.find((l) => l.name === (options.lease ?? 'cdc'));
  const holder = lease?.live ? ownerOf(lease.holder) : undefined;
  return {
    replicas: beats.map((beat) => ({
      owner: beat.owner,
      host: beat.host,
      pid: beat.pid,
      startedAt: beat.startedAt,
      lastHeartbeat: beat.beatAt,
      alive:
        now.getTime() - Date.parse(beat.beatAt) <= options.staleMs &&
        !options.isGone(beat.host, beat.pid),
      holdsCdcLease: beat.owner === holder,
    })),
    cdcLease: lease ? { ...lease, holderOwner: ownerOf(lease.holder) } : null,
  };
}

/** Lines for `cosell status`: one per replica, then the lease. */
export function describeReplicas(report: ReplicasReport): string[] {
  const lines = report.replicas.map(
    (r) =>
      `replica ${r.owner}: ${r.alive ? 'alive' : 'gone'} (last heartbeat ${r.lastHeartbeat})${r.holdsCdcLease ? ', holds the CDC subscription' : ''}`,
  );
  const lease = report.cdcLease;
  lines.push(
    !lease
      ? 'cdc lease: never taken'
      : lease.live
        ? `cdc lease: held by ${lease.holderOwner} (token ${lease.token}, until ${lease.expiresAt})`
        : `cdc lease: free (last holder ${lease.holderOwner}, token ${lease.token}; a replica takes it within seconds)`,
  );
  return lines;
}
