import type { Clock } from '../clock';
import { buildSchema, type SchemaOptions } from '../schema/build-schema';
import type { ForceAppMetadata } from '../schema/metadata-loader';
import type { Schema } from '../schema/types';
import { restDateTime } from '../clock';
import { syncCustomMetadataRecords } from './custom-metadata-records';
import { deleteRecord, insertRecord } from './dml';
import type { DmlContext } from './dml-context';
import { makeId } from './ids';
import { AccessChecker, INTEGRATION_PERMISSION_SET, type UserAccess } from './permissions';
import type { RecordGetter } from './record-paths';
import { RecordSharing } from './sharing';
import {
  RecordStore,
  Transaction,
  type PublishedEvent,
  type RecordChange,
  type StoreState,
} from './record-store';

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
  /**
   * A seller as a real org has them: a standard user with only `Co_Sell_Seller`, so no View All
   * and record visibility by ownership and sharing (the seeded `seller` is an administrator).
   */
  rep: { username: 'rep@cosell.example', first: 'Riley', last: 'Rep', isAdmin: false },
} as const;

/** The permission set the seeded `rep` holds. */
export const SELLER_PERMISSION_SET = 'Co_Sell_Seller';

export type OrgSettings = SchemaOptions;

/** The org: schema, records, users and their access; transactions with commit listeners. */
export class Org {
  readonly store = new RecordStore();
  /** System administrators; everyone else is limited by permission set assignments. */
  private admins = new Set<string>();
  private listeners: Array<(tx: CommittedTransaction) => void> = [];
  private eventListeners: Array<(events: PublishedEvent[], origin: TransactionOrigin) => void> = [];
  schema: Schema;
  settings: OrgSettings;

  constructor(
    private metadata: ForceAppMetadata,
    settings: OrgSettings,
    readonly clock: Clock,
  ) {
    this.settings = { ...settings };
    this.schema = buildSchema(metadata, this.settings);
    this.seed();
  }

  /** The deployed custom metadata records become the org's (`SELECT … FROM X__mdt`). */
  private syncCustomMetadata(): void {
    syncCustomMetadataRecords(this.store, this.schema, this.metadata.customMetadata);
  }

  onCommit(listener: (tx: CommittedTransaction) => void): void {
    this.listeners.push(listener);
  }

  /** Platform event messages, as they are published (after commit, or at once). */
  onPublish(listener: (events: PublishedEvent[], origin: TransactionOrigin) => void): void {
    this.eventListeners.push(listener);
  }

  private deliver(events: PublishedEvent[], origin: TransactionOrigin): void {
    if (events.length) for (const l of this.eventListeners) l(events, origin);
  }

  /** Access comes from PermissionSetAssignment records, so REST-made assignments count too. */
  userAccess(userId: string): UserAccess {
    const names = new Set<string>();
    for (const a of this.store.ofObject('PermissionSetAssignment')) {
      if (a.deleted || a.fields.AssigneeId !== userId) continue;
      const ps = this.store.get(String(a.fields.PermissionSetId));
      if (ps && !ps.deleted) names.add(String(ps.fields.Name));
    }
    return { isAdmin: this.admins.has(userId), permissionSets: names };
  }

  accessChecker(userId: string): AccessChecker {
    return new AccessChecker(this.schema, this.userAccess(userId));
  }

  /** Record-level access of `userId` (owner, OWD, View/Modify All, master-detail). */
  sharing(
    userId: string,
    access = this.accessChecker(userId),
    get: RecordGetter = (id) => this.store.get(id),
  ): RecordSharing {
    return new RecordSharing(this.schema, access, userId, get);
  }

  userByUsername(username: string): string | undefined {
    const lower = username.toLowerCase();
    for (const r of this.store.ofObject('User')) {
      if (String(r.fields.Username).toLowerCase() === lower) return r.fields.Id as string;
    }
    return undefined;
  }

  get integrationUserId(): string {
    return this.userByUsername(SEEDED_USERS.integration.username) ?? '';
  }

  get adminUserId(): string {
    return this.userByUsername(SEEDED_USERS.admin.username) ?? '';
  }

  /** Assigns or unassigns a permission set (by API name) as an administrator would. */
  setPermissionSet(userId: string, name: string, assigned: boolean): void {
    const ps = this.permissionSetRecord(name);
    const origin = { userId: this.adminUserId, api: 'ui' as const, apiVersion: '62.0' };
    this.transact(origin, (ctx) => {
      const existing = [...ctx.tx.records('PermissionSetAssignment')].filter(
        (a) => !a.deleted && a.fields.AssigneeId === userId && a.fields.PermissionSetId === ps,
      );
      if (assigned && existing.length === 0) {
        insertRecord(ctx, 'PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: ps });
      }
      if (!assigned) for (const a of existing) deleteRecord(ctx, a.fields.Id as string);
    });
  }

  private permissionSetRecord(name: string): string {
    const lower = name.toLowerCase();
    for (const r of this.store.ofObject('PermissionSet')) {
      if (!r.deleted && String(r.fields.Name).toLowerCase() === lower) return r.fields.Id as string;
    }
    return this.transact({ userId: this.adminUserId, api: 'ui', apiVersion: '62.0' }, (ctx) =>
      insertRecord(ctx, 'PermissionSet', { Name: name, Label: name.replace(/_/g, ' ') }),
    );
  }

  /**
   * Runs `work` in one transaction as `origin.userId`; commits only if it returns, then tells
   * the listeners (CDC) about the changes.
   */
  transact<T>(origin: TransactionOrigin, work: (ctx: DmlContext) => T): T {
    const tx = new Transaction(this.store, this.clock.now());
    const access = this.accessChecker(origin.userId);
    const ctx: DmlContext = {
      schema: this.schema,
      access,
      sharing: this.sharing(origin.userId, access, (id) => tx.get(id)),
      userId: origin.userId,
      tx,
    };
    let result: T;
    try {
      result = work(ctx);
    } finally {
      this.deliver(tx.immediate.splice(0), origin);
    }
    const changes = tx.commit();
    if (changes.length) {
      const committed = { origin, commitTimestamp: tx.now, changes, org: this };
      for (const l of this.listeners) l(committed);
    }
    this.deliver(tx.takeEvents(), origin);
    return result;
  }

  /**
   * A deploy replaced the org's metadata: the schema follows, and each new permission set gets
   * its PermissionSet record (assignments stay as they are: an admin assigns new sets).
   */
  redeploy(metadata: ForceAppMetadata): void {
    this.metadata = metadata;
    this.schema = buildSchema(this.metadata, this.settings);
    for (const ps of this.schema.permissionSets.values()) this.permissionSetRecord(ps.name);
    this.syncNotificationTypes();
    this.syncCustomMetadata();
  }

  /**
   * One CustomNotificationType record per deployed notification type, kept by DeveloperName so
   * its Id (the action's customNotifTypeId) survives a redeploy, as a real org's does.
   */
  private syncNotificationTypes(): void {
    const existing = new Map(
      [...this.store.ofObject('CustomNotificationType')]
        .filter((r) => !r.deleted)
        .map((r) => [String(r.fields.DeveloperName), r]),
    );
    const now = restDateTime(this.clock.now());
    for (const type of this.metadata.notificationTypes ?? []) {
      const fields = {
        DeveloperName: type.developerName,
        MasterLabel: type.label,
        CustomNotifTypeName: type.label,
        Description: type.description,
        Desktop: type.desktop,
        Mobile: type.mobile,
      };
      const found = existing.get(type.developerName);
      if (found) {
        Object.assign(found.fields, fields);
        continue;
      }
      const by = this.adminUserId;
      this.store.put({
        object: 'CustomNotificationType',
        deleted: false,
        fields: {
          Id: this.store.nextId('0ML'),
          IsDeleted: false,
          CreatedDate: now,
          CreatedById: by,
          LastModifiedDate: now,
          LastModifiedById: by,
          SystemModstamp: now,
          ...fields,
        },
      });
    }
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
    const org = this.store.get(ORG_ID);
    if (org) {
      org.fields.IsSandbox = this.settings.sandbox;
      org.fields.DefaultCurrencyIsoCode = this.settings.corporateCurrency;
    }
  }

  reset(settings: OrgSettings): void {
    this.store.clear();
    this.admins.clear();
    this.settings = { ...settings };
    this.schema = buildSchema(this.metadata, this.settings);
    this.seed();
  }

  snapshot(): { store: StoreState; admins: string[]; settings: OrgSettings } {
    return { store: this.store.toJSON(), admins: [...this.admins], settings: this.settings };
  }

  restore(state: ReturnType<Org['snapshot']>): void {
    this.settings = state.settings;
    this.schema = buildSchema(this.metadata, this.settings);
    this.store.load(state.store);
    this.admins = new Set(state.admins);
  }

  private seed(): void {
    const now = restDateTime(this.clock.now());
    const audit = (by: string) => ({
      IsDeleted: false,
      CreatedDate: now,
      CreatedById: by,
      LastModifiedDate: now,
      LastModifiedById: by,
      SystemModstamp: now,
    });
    // Users and the organization are seeded directly: they must exist before anyone can act.
    const ids: string[] = [];
    for (const u of Object.values(SEEDED_USERS)) {
      const id = this.store.nextId('005');
      ids.push(id);
      if (u.isAdmin) this.admins.add(id);
      this.store.put({
        object: 'User',
        deleted: false,
        fields: {
          Id: id,
          ...audit(id),
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
          ...(this.settings.multiCurrency
            ? { CurrencyIsoCode: this.settings.corporateCurrency }
            : {}),
        },
      });
    }
    const admin = ids[0] ?? '';
    this.store.put({
      object: 'Organization',
      deleted: false,
      fields: {
        Id: ORG_ID,
        ...audit(admin),
        Name: 'Co-Sell Emulator Org',
        IsSandbox: this.settings.sandbox,
        DefaultCurrencyIsoCode: this.settings.corporateCurrency,
        OrganizationType: 'Developer Edition',
        InstanceName: 'EMU1',
        DefaultLocaleSidKey: 'en_US',
        TimeZoneSidKey: 'GMT',
        LanguageLocaleKey: 'en_US',
      },
    });
    for (const ps of this.schema.permissionSets.values()) this.permissionSetRecord(ps.name);
    // The integration user holds its permission set once the package that defines it is in.
    if (this.schema.permissionSets.has(INTEGRATION_PERMISSION_SET.toLowerCase())) {
      this.setPermissionSet(this.integrationUserId, INTEGRATION_PERMISSION_SET, true);
    }
    const rep = this.userByUsername(SEEDED_USERS.rep.username);
    if (rep && this.schema.permissionSets.has(SELLER_PERMISSION_SET.toLowerCase())) {
      this.setPermissionSet(rep, SELLER_PERMISSION_SET, true);
    }
    if (this.settings.multiCurrency) this.seedCurrencies();
    this.syncNotificationTypes();
    this.syncCustomMetadata();
  }

  private seedCurrencies(): void {
    const rates: Record<string, number> = { USD: 1, EUR: 0.92, GBP: 0.79, SEK: 10.5, JPY: 150 };
    const corporateRate = rates[this.settings.corporateCurrency] ?? 1;
    this.transact({ userId: this.adminUserId, api: 'ui', apiVersion: '62.0' }, (ctx) => {
      for (const code of this.settings.currencyCodes) {
        insertRecord(ctx, 'CurrencyType', {
          IsoCode: code,
          ConversionRate: (rates[code] ?? 1) / corporateRate,
          DecimalPlaces: code === 'JPY' ? 0 : 2,
          IsActive: true,
        });
      }
    });
    for (const r of this.store.ofObject('CurrencyType')) {
      r.fields.IsCorporate = r.fields.IsoCode === this.settings.corporateCurrency;
    }
  }
}
