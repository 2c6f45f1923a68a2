// Roll-up summary recalculation after a child write. Separate from the write paths because it
// saves another record (the master), with its own checks and change event.
import type { ObjectDef } from '../schema/types';
import { changedFieldNames, touch, type DmlContext } from './dml-context';
import { runValidationRules } from './dml-rules';
import type { SRecord } from './record-store';

/**
 * Roll-up summaries: a child write recalculates each master's summary fields; the master is
 * then saved like any update (validation rules, a change event), as Salesforce does.
 */
export function recomputeParents(
  ctx: DmlContext,
  child: ObjectDef,
  before: SRecord,
  after: SRecord,
) {
  for (const f of child.fields.values()) {
    if (!f.masterDetail) continue;
    const ids = new Set([before[f.name], after[f.name]].filter((v) => typeof v === 'string'));
    for (const parentId of ids as Set<string>) recomputeRollups(ctx, parentId);
  }
}

function recomputeRollups(ctx: DmlContext, parentId: string): void {
  const parent = ctx.tx.get(parentId);
  if (!parent || parent.deleted) return;
  const obj = ctx.schema.object(parent.object);
  if (!obj) return;
  const fields: SRecord = { ...parent.fields };
  let changed = false;
  for (const f of obj.fields.values()) {
    if (!f.rollup) continue;
    const { childObject, foreignKey, operation, summarizedField } = f.rollup;
    const children = [...ctx.tx.records(childObject)].filter(
      (c) => !c.deleted && c.fields[foreignKey] === parentId,
    );
    const values = children
      .map((c) => (summarizedField ? c.fields[summarizedField] : 1))
      .filter((v): v is number => typeof v === 'number');
    const value =
      operation === 'count'
        ? children.length
        : operation === 'sum'
          ? values.reduce((a, b) => a + b, 0)
          : values.length
            ? (operation === 'min' ? Math.min : Math.max)(...values)
            : null;
    if (fields[f.name] !== value) {
      fields[f.name] = value;
      changed = true;
    }
  }
  if (!changed) return;
  touch(ctx, fields);
  runValidationRules(ctx, obj, fields);
  ctx.tx.stage(
    { object: obj.name, fields, deleted: false },
    'UPDATE',
    changedFieldNames(parent.fields, fields),
  );
}
