import type { FieldDef, ObjectDef, Schema } from '../schema/types';

/** The integration user's permission set (DESIGN.md); R2 access tests unassign it. */
export const INTEGRATION_PERMISSION_SET = 'Co_Sell_Bridge_Integration';

export interface UserAccess {
  /** System Administrator: every object and field. */
  isAdmin: boolean;
  permissionSets: Set<string>;
}

/**
 * Object and field-level security for one user. Standard objects and fields are open to every
 * user; custom ones need a permission set that grants them. A permission set named on a user
 * but absent from the metadata grants everything (metadata not written yet).
 */
export class AccessChecker {
  constructor(
    private readonly schema: Schema,
    private readonly access: UserAccess,
  ) {}

  private grants(): Array<ReturnType<Schema['permissionSets']['get']> | 'all'> {
    return [...this.access.permissionSets].map(
      (name) => this.schema.permissionSets.get(name.toLowerCase()) ?? 'all',
    );
  }

  object(obj: ObjectDef, op: 'read' | 'create' | 'edit' | 'delete'): boolean {
    if (this.access.isAdmin) return true;
    if (obj.adminWrite && op !== 'read') return false;
    if (!obj.permissionControlled) return true;
    return this.grants().some(
      (ps) => ps === 'all' || ps?.objects.get(obj.name.toLowerCase())?.[op] === true,
    );
  }

  /**
   * View All Records on the object, or View All Data (administrators): what Change Data
   * Capture asks of a subscriber ("Required Permissions for Change Event Subscribers").
   */
  viewAll(obj: ObjectDef): boolean {
    if (this.access.isAdmin) return true;
    return this.grants().some((ps) => {
      const granted = ps === 'all' ? undefined : ps?.objects.get(obj.name.toLowerCase());
      return ps === 'all' || granted?.viewAll === true || granted?.modifyAll === true;
    });
  }

  /** Modify All Records on the object, or Modify All Data (administrators). */
  modifyAll(obj: ObjectDef): boolean {
    if (this.access.isAdmin) return true;
    return this.grants().some(
      (ps) => ps === 'all' || ps?.objects.get(obj.name.toLowerCase())?.modifyAll === true,
    );
  }

  /**
   * `$Permission.<name>`: only a permission set (or profile) that enables the custom permission
   * grants it; System Administrators do not get custom permissions implicitly.
   */
  customPermission(name: string): boolean {
    const lower = name.toLowerCase();
    return this.grants().some((ps) => ps === 'all' || ps?.customPermissions.has(lower) === true);
  }

  /**
   * A user permission such as SendCustomNotifications: System Administrators have the standard
   * ones through their profile; everyone else needs a permission set that enables it.
   */
  userPermission(name: string): boolean {
    if (this.access.isAdmin) return true;
    const lower = name.toLowerCase();
    return this.grants().some((ps) => ps === 'all' || ps?.userPermissions.has(lower) === true);
  }

  fieldReadable(obj: ObjectDef, f: FieldDef): boolean {
    if (!this.object(obj, 'read')) return false;
    if (this.access.isAdmin || !f.permissionControlled) return true;
    const key = `${obj.name}.${f.name}`.toLowerCase();
    return this.grants().some((ps) => ps === 'all' || ps?.fields.get(key)?.readable === true);
  }

  fieldEditable(obj: ObjectDef, f: FieldDef): boolean {
    if (this.access.isAdmin || !f.permissionControlled) return true;
    const key = `${obj.name}.${f.name}`.toLowerCase();
    return this.grants().some((ps) => ps === 'all' || ps?.fields.get(key)?.editable === true);
  }
}
