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

  get(id: string): Referral | undefined {
    const found = this.byId.get(id.toLowerCase());
    return found ? structuredClone(found) : undefined;
  }

  put(referral: Referral): void {
    this.byId.set(referral.id.toLowerCase(), structuredClone(referral));
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

  clear(): void {
    this.byId.clear();
  }

  get size(): number {
    return this.byId.size;
  }
}
