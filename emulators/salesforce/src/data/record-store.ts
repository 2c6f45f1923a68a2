import { makeId } from './ids';

export type SRecord = Record<string, unknown>;

export interface StoredRecord {
  /** Canonical object name, e.g. `Opportunity`. */
  object: string;
  /** Canonical field names → values; always has `Id`. */
  fields: SRecord;
  deleted: boolean;
}

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

export interface RecordChange {
  id: string;
  object: string;
  type: ChangeType;
  changedFields: Set<string>;
}

/** A platform event message inserted in a transaction, delivered when it commits. */
export interface PublishedEvent {
  object: string;
  fields: SRecord;
}

export interface StoreState {
  records: StoredRecord[];
  idCounter: number;
  autoNumbers: Record<string, number>;
}

/** All records of the org, live and in the recycle bin, keyed by 18-character id. */
export class RecordStore {
  private records = new Map<string, StoredRecord>();
  /** Per-object index (lower-case name → id → record) so scans don't walk the whole org. */
  private byObject = new Map<string, Map<string, StoredRecord>>();
  private idCounter = 1;
  private autoNumbers = new Map<string, number>();

  get(id: string): StoredRecord | undefined {
    return this.records.get(id);
  }

  all(): IterableIterator<StoredRecord> {
    return this.records.values();
  }

  /** Records of one object, live and deleted. */
  ofObject(object: string): IterableIterator<StoredRecord> {
    return (this.byObject.get(object.toLowerCase()) ?? new Map<string, StoredRecord>()).values();
  }

  put(rec: StoredRecord): void {
    const id = rec.fields.Id as string;
    this.records.set(id, rec);
    const key = rec.object.toLowerCase();
    let index = this.byObject.get(key);
    if (!index) {
      index = new Map();
      this.byObject.set(key, index);
    }
    index.set(id, rec);
  }

  /** Forgets a record entirely (custom metadata records removed by a deploy: no recycle bin). */
  remove(id: string): void {
    const rec = this.records.get(id);
    if (!rec) return;
    this.records.delete(id);
    this.byObject.get(rec.object.toLowerCase())?.delete(id);
  }

  nextId(prefix: string): string {
    return makeId(prefix, this.idCounter++);
  }

  nextAutoNumber(object: string): number {
    const n = (this.autoNumbers.get(object) ?? 0) + 1;
    this.autoNumbers.set(object, n);
    return n;
  }

  clear(): void {
    this.records.clear();
    this.byObject.clear();
    this.idCounter = 1;
    this.autoNumbers.clear();
  }

  toJSON(): StoreState {
    return {
      records: [...this.records.values()],
      idCounter: this.idCounter,
      autoNumbers: Object.fromEntries(this.autoNumbers),
    };
  }

  load(state: StoreState): void {
    this.clear();
    for (const r of state.records) this.put(r);
    this.idCounter = state.idCounter;
    this.autoNumbers = new Map(Object.entries(state.autoNumbers));
  }
}

/**
 * Staged writes of one transaction over the store: reads see staged versions first; nothing
 * reaches the store (or the event bus) until commit, so a failed allOrNone request leaves no
 * trace. Savepoints let allOrNone=false requests drop one failed record's writes.
 */
export class Transaction {
  private staged = new Map<string, StoredRecord>();
  private changes = new Map<string, RecordChange>();
  private order: string[] = [];
  private events: PublishedEvent[] = [];
  /** Publish Immediately events: delivered even when the transaction rolls back. */
  readonly immediate: PublishedEvent[] = [];

  constructor(
    readonly store: RecordStore,
    readonly now: number,
  ) {}

  get(id: string): StoredRecord | undefined {
    return this.staged.get(id) ?? this.store.get(id);
  }

  /** Live and staged records of one object. */
  *records(object: string): Generator<StoredRecord> {
    const lower = object.toLowerCase();
    for (const rec of this.staged.values()) if (rec.object.toLowerCase() === lower) yield rec;
    for (const rec of this.store.ofObject(object)) {
      if (!this.staged.has(rec.fields.Id as string)) yield rec;
    }
  }

  stage(rec: StoredRecord, type: ChangeType, changedFields: Iterable<string> = []): void {
    const id = rec.fields.Id as string;
    this.staged.set(id, rec);
    const prior = this.changes.get(id);
    if (!prior) {
      this.changes.set(id, { id, object: rec.object, type, changedFields: new Set(changedFields) });
      this.order.push(id);
      return;
    }
    // One event per record per transaction: later writes fold into the first change.
    if (type === 'DELETE') {
      if (prior.type === 'CREATE') {
        this.changes.delete(id);
        this.order = this.order.filter((x) => x !== id);
        return;
      }
      prior.type = 'DELETE';
      prior.changedFields.clear();
      return;
    }
    for (const f of changedFields) prior.changedFields.add(f);
  }

  savepoint(): () => void {
    const staged = new Map(this.staged);
    const changes = new Map(
      [...this.changes].map(([k, v]) => [k, { ...v, changedFields: new Set(v.changedFields) }]),
    );
    const order = [...this.order];
    const events = this.events.length;
    return () => {
      this.staged = staged;
      this.changes = changes;
      this.order = order;
      this.events.length = events;
    };
  }

  /** Queues a Publish After Commit event: rolled back with the transaction or a savepoint. */
  publish(event: PublishedEvent): void {
    this.events.push(event);
  }

  /** The events queued by this transaction, once (at commit). */
  takeEvents(): PublishedEvent[] {
    return this.events.splice(0);
  }

  /** Writes staged records to the store; returns the changes in the order they happened. */
  commit(): RecordChange[] {
    for (const rec of this.staged.values()) this.store.put(rec);
    const changes = this.order.flatMap((id) => {
      const c = this.changes.get(id);
      return c ? [c] : [];
    });
    this.staged.clear();
    this.changes.clear();
    this.order = [];
    return changes;
  }
}
