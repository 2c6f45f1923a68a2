// Who may act, across processes and replicas: named leases with their fencing tokens (one CDC
// subscriber at a time) and each bridge process's heartbeat (`cosell status`).

/** What a fenced write presents: the lease and the token it was granted. */
export interface LeaseFence {
  name: string;
  token: number;
}

export interface Lease extends LeaseFence {
  holder: string;
  /** ISO 8601, on the store's clock. */
  expiresAt: string;
}

export interface LeaseStatus extends Lease {
  acquiredAt: string;
  live: boolean;
}

/** One bridge process's sign of life. */
export interface BridgeHeartbeat {
  /** `<host>/<pid>`: one row per process. */
  owner: string;
  host: string;
  pid: number;
  startedAt: string;
  /** ISO 8601: the last beat. */
  beatAt: string;
}
