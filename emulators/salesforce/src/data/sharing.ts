import type { ObjectDef, Schema } from '../schema/types';
import type { AccessChecker } from './permissions';
import type { RecordGetter } from './record-paths';
import type { StoredRecord } from './record-store';

/**
 * Organization-wide defaults as the metadata names them (CustomObject.sharingModel):
 * `Private`, `Read` (Public Read Only), `ReadWrite` (Public Read/Write), `ControlledByParent`
 * (a master-detail child: access follows the master record).
 */
export type SharingModel = 'Private' | 'Read' | 'ReadWrite' | 'ControlledByParent';

export function sharingModelOf(value: string | undefined): SharingModel | undefined {
  return value === 'Private' ||
    value === 'Read' ||
    value === 'ReadWrite' ||
    value === 'ControlledByParent'
    ? value
    : undefined;
}

/**
 * Record-level access for one user ("Sharing Settings", "Object Permissions: View All and Modify
 * All", "Controlled by Parent"): what a query returns, what a retrieve finds, what DML may
 * change. Modelled: the owner, the organization-wide default, View All / Modify All on the object
 * (a permission set's viewAllRecords/modifyAllRecords) and View All Data / Modify All Data
 * (System Administrators), and master-detail children controlled by their master(s). Not
 * modelled, so never granted: the role hierarchy, sharing rules, manual shares, teams and
 * implicit sharing. The emulator is therefore never kinder than an org with the same OWDs.
 */
export class RecordSharing {
  constructor(
    private readonly schema: Schema,
    private readonly access: AccessChecker,
    private readonly userId: string,
    private readonly get: RecordGetter,
  ) {}

  canRead(rec: StoredRecord): boolean {
    return this.allows(rec, 'read', 0);
  }

  canEdit(rec: StoredRecord): boolean {
    return this.allows(rec, 'edit', 0);
  }

  /**
   * Whether this user may point a master-detail field of a new or changed child at `masterId`:
   * Read/Write on the master, or Read when the field says writeRequiresMasterRead.
   */
  canParent(masterId: string, readSuffices: boolean): boolean {
    const master = this.get(masterId);
    if (!master) return false;
    return readSuffices ? this.canRead(master) : this.canEdit(master);
  }

  private allows(rec: StoredRecord, op: 'read' | 'edit', depth: number): boolean {
    const obj = this.schema.object(rec.object);
    if (!obj || depth > 5) return false;
    if (op === 'read' ? this.access.viewAll(obj) : this.access.modifyAll(obj)) return true;
    switch (obj.sharingModel ?? 'ReadWrite') {
      case 'ReadWrite':
        return true;
      case 'Read':
        return op === 'read' || this.owns(rec);
      case 'Private':
        return this.owns(rec);
      case 'ControlledByParent':
        return this.throughMasters(obj, rec, op, depth);
    }
  }

  private owns(rec: StoredRecord): boolean {
    return rec.fields.OwnerId === undefined || rec.fields.OwnerId === this.userId;
  }

  /**
   * A child needs access to every master (a junction needs both): Read on them to read it;
   * to edit it, Read/Write on them unless the field says writeRequiresMasterRead.
   */
  private throughMasters(
    obj: ObjectDef,
    rec: StoredRecord,
    op: 'read' | 'edit',
    depth: number,
  ): boolean {
    const masters = [...obj.fields.values()].filter((f) => f.masterDetail);
    if (masters.length === 0) return true;
    return masters.every((f) => {
      const id = rec.fields[f.name];
      const master = typeof id === 'string' ? this.get(id) : undefined;
      if (!master) return false;
      const needed = op === 'edit' && !f.writeRequiresMasterRead ? 'edit' : 'read';
      return this.allows(master, needed, depth + 1);
    });
  }
}
