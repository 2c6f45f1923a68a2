/** A referral as stored and returned: the contract's JSON plus the fields the server owns. */
export type Referral = Record<string, unknown> & {
  id: string;
  engagementId: string;
  eTag: string;
  createdDateTime: string;
  updatedDateTime: string;
  status: string;
  substatus: string;
  direction: 'Incoming' | 'Outgoing';
};

/** In-memory referrals in creation order. Callers always get copies, never live objects. */
export class ReferralStore {
  private byId = new Map<string, Referral>();
  /**
   * A change counter of this process (not part of any referral): each put takes the next number,
   * so a watcher (the control plane's `?after=`) can ask for what changed since its last look
   * instead of copying every referral on every poll.
   */
  private sequence = 0;
  private changedAt = new Map<string, number>();

  get(id: string): Referral | undefined {
    const found = this.byId.get(id.toLowerCase());
    return found ? structuredClone(found) : undefined;
  }

  put(referral: Referral): void {
    const key = referral.id.toLowerCase();
    this.byId.set(key, structuredClone(referral));
    this.sequence += 1;
    this.changedAt.set(key, this.sequence);
  }

  all(): Referral[] {
    return [...this.byId.values()].map((r) => structuredClone(r));
  }

  /**
   * The stored referrals themselves, for scans that must not copy every referral on every call
   * (list, expiry, related lookups). Callers read them and copy what they return.
   */
  live(): readonly Readonly<Referral>[] {
    return [...this.byId.values()];
  }

  /**
   * The stored referrals put after change number `after` (all of them for 0), live like `live()`,
   * and the latest change number to pass next time. Referrals removed by `clear()` are not told.
   */
  changedAfter(after: number): { referrals: readonly Readonly<Referral>[]; sequence: number } {
    const referrals: Referral[] = [];
    for (const [key, referral] of this.byId) {
      if ((this.changedAt.get(key) ?? 0) > after) referrals.push(referral);
    }
    return { referrals, sequence: this.sequence };
  }

  clear(): void {
    this.byId.clear();
    this.changedAt.clear();
  }

  get size(): number {
    return this.byId.size;
  }
}
