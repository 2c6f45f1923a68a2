import type { Clock } from '../clock';
import { buildSchema, type SchemaOptions } from '../schema/build-schema';
import type { ForceAppMetadata } from '../schema/metadata-loader';
import type { Schema } from '../schema/types';
import { insertRecord, type DmlContext } from './dml';
import { makeId } from './ids';
import { AccessChecker, INTEGRATION_PERMISSION_SET, type UserAccess } from './permissions';
import { RecordStore, Transaction, type RecordChange, type StoreState } from './record-store';

export const ORG_ID = makeId('00D', 1);

/** Where a transaction came from, for CDC `changeOrigin` and `commitUser`. */
export interface TransactionOrigin {
  userId: string;
  /** `rest` for API calls; `ui` for seeding helpers that stand in for a person in the UI. */
  api: 'rest' | 'ui';
  apiVersion: string;
  /** From `Sforce-Call-Options: client=<id>`. */
  clientId?: string;
}

export interface CommittedTransaction {
  origin: TransactionOrigin;
  commitTimestamp: number;
  changes: RecordChange[];
  org: Org;
}

export const SEEDED_USERS = {
  admin: { username: 'admin@cosell.example', first: 'Ada', last: 'Admin', isAdmin: true },
  integration: {
    username: 'bridge@cosell.example',
    first: 'Co-Sell',
    last: 'Bridge',
    isAdmin: false,
  },
  seller: { username: 'seller@cosell.example', first: 'Sam', last: 'Seller', isAdmin: true },
} as const;

export type OrgSettings = SchemaOptions;

/** The org: schema, records, users and their access; transactions with commit listeners. */
export class Org {
  readonly store = new RecordStore();
  private access = new Map<string, UserAccess>();
  private listeners: Array<(tx: CommittedTransaction) => void> = [];
  schema: Schema;
  settings: OrgSettings;

  constructor(
    private readonly metadata: ForceAppMetadata,
    settings: OrgSettings,
    readonly clock: Clock,
  ) {
    this.settings = { ...settings };
    this.schema = buildSchema(metadata, this.settings);
    this.seed();
  }

  onCommit(listener: (tx: CommittedTransaction) => void): void {
    this.listeners.push(listener);
  }

  userAccess(userId: string): UserAccess {
    return this.access.get(userId) ?? { isAdmin: false, permissionSets: new Set() };
  }

  accessChecker(userId: string): AccessChecker {
    return new AccessChecker(this.schema, this.userAccess(userId));
  }

  userByUsername(username: string): string | undefined {
    const lower = username.toLowerCase();
    for (const r of this.store.all()) {
      if (r.object === 'User' && String(r.fields.Username).toLowerCase() === lower) {
        return r.fields.Id as string;
      }
    }
    return undefined;
  }

  get integrationUserId(): string {
    return this.userByUsername(SEEDED_USERS.integration.username) ?? '';
  }

  setPermissionSet(userId: string, name: string, assigned: boolean): void {
    const access = this.userAccess(userId);
    if (assigned) access.permissionSets.add(name);
    else access.permissionSets.delete(name);
    this.access.set(userId, access);
  }

  /**
   * Runs `work` in one transaction as `origin.userId`; commits only if it returns, then tells
   * the listeners (CDC) about the changes.
   */
  transact<T>(origin: TransactionOrigin, work: (ctx: DmlContext) => T): T {
    const tx = new Transaction(this.store, this.clock.now());
    const ctx: DmlContext = {
      schema: this.schema,
      access: this.accessChecker(origin.userId),
      userId: origin.userId,
      tx,
    };
    const result = work(ctx);
    const changes = tx.commit();
    if (changes.length) {
      const committed = { origin, commitTimestamp: tx.now, changes, org: this };
      for (const l of this.listeners) l(committed);
    }
    return result;
  }

  /** Multi-currency on/off rebuilds the schema; existing records get the corporate currency. */
  configure(settings: Partial<OrgSettings>): void {
    const turningOn = settings.multiCurrency === true && !this.settings.multiCurrency;
    this.settings = { ...this.settings, ...settings };
    this.schema = buildSchema(this.metadata, this.settings);
    if (turningOn) {
      for (const r of this.store.all()) {
        if (r.object !== 'CurrencyType') r.fields.CurrencyIsoCode = this.settings.corporateCurrency;
      }
      this.seedCurrencies();
    }
  }

  reset(settings: OrgSettings): void {
    this.store.clear();
    this.access.clear();
    this.settings = { ...settings };
    this.schema = buildSchema(this.metadata, this.settings);
    this.seed();
  }

  snapshot(): {
    store: StoreState;
    access: Record<string, string[] | boolean>;
    settings: OrgSettings;
  } {
    const access: Record<string, string[] | boolean> = {};
    for (const [id, a] of this.access) access[id] = a.isAdmin ? true : [...a.permissionSets];
    return { store: this.store.toJSON(), access, settings: this.settings };
  }

  restore(state: ReturnType<Org['snapshot']>): void {
    this.settings = state.settings;
    this.schema = buildSchema(this.metadata, this.settings);
    this.store.load(state.store);
    this.access.clear();
    for (const [id, a] of Object.entries(state.access)) {
      this.access.set(id, {
        isAdmin: a === true,
        permissionSets: new Set(Array.isArray(a) ? a : []),
      });
    }
  }

  private seed(): void {
    // Users are seeded directly: they must exist before anyone can act.
    for (const u of Object.values(SEEDED_USERS)) {
      const id = this.store.nextId('005');
      this.access.set(id, {
        isAdmin: u.isAdmin,
        permissionSets: new Set(u.isAdmin ? [] : [INTEGRATION_PERMISSION_SET]),
      });
      const now = new Date(this.clock.now()).toISOString().replace('Z', '+0000');
      this.store.put({
        object: 'User',
        deleted: false,
        fields: {
          Id: id,
          IsDeleted: false,
          Username: u.username,
          FirstName: u.first,
          LastName: u.last,
          Name: `${u.first} ${u.last}`,
          Email: u.username,
          Alias: u.last.slice(0, 8).toLowerCase(),
          IsActive: true,
          UserType: 'Standard',
          TimeZoneSidKey: 'GMT',
          LanguageLocaleKey: 'en_US',
          CreatedDate: now,
          CreatedById: id,
          LastModifiedDate: now,
          LastModifiedById: id,
          SystemModstamp: now,
          ...(this.settings.multiCurrency
            ? { CurrencyIsoCode: this.settings.corporateCurrency }
            : {}),
        },
      });
    }
    if (this.settings.multiCurrency) this.seedCurrencies();
  }

  private seedCurrencies(): void {
    const admin = this.userByUsername(SEEDED_USERS.admin.username) ?? '';
    const rates: Record<string, number> = { USD: 1, EUR: 0.92, GBP: 0.79, SEK: 10.5, JPY: 150 };
    const corporateRate = rates[this.settings.corporateCurrency] ?? 1;
    this.transact({ userId: admin, api: 'ui', apiVersion: '62.0' }, (ctx) => {
      for (const code of this.settings.currencyCodes) {
        insertRecord(ctx, 'CurrencyType', {
          IsoCode: code,
          ConversionRate: (rates[code] ?? 1) / corporateRate,
          DecimalPlaces: code === 'JPY' ? 0 : 2,
          IsActive: true,
        });
      }
    });
    for (const r of this.store.all()) {
      if (r.object === 'CurrencyType') {
        r.fields.IsCorporate = r.fields.IsoCode === this.settings.corporateCurrency;
      }
    }
  }
}
