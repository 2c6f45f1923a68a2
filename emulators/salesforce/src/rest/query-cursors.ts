import { randomBytes } from 'node:crypto';
import type { SRecord } from '../data/record-store';

interface Cursor {
  rows: SRecord[];
  batchSize: number;
}

/**
 * Open cursors are capped (oldest dropped first), as Salesforce limits open query cursors per
 * user; an abandoned paged query must not keep its rows forever.
 */
export const MAX_OPEN_CURSORS = 50;

/** Server-side query cursors behind `nextRecordsUrl` (`/query/01g…-2000`). */
export class QueryCursors {
  private cursors = new Map<string, Cursor>();
  private counter = 0;

  open(rows: SRecord[], batchSize: number): string {
    // Query locators start with 01g; the suffix makes them unique across resets.
    const id = `01g5g${String(++this.counter).padStart(6, '0')}${randomBytes(2).toString('hex')}`;
    this.cursors.set(id, { rows, batchSize });
    while (this.cursors.size > MAX_OPEN_CURSORS) {
      const oldest = this.cursors.keys().next().value;
      if (oldest === undefined) break;
      this.cursors.delete(oldest);
    }
    return id;
  }

  /** `locator` is `<cursorId>-<offset>`. */
  page(locator: string): { rows: SRecord[]; next?: string; total: number } | undefined {
    const m = /^(01g[0-9A-Za-z]+)-(\d+)$/.exec(locator);
    const cursor = m?.[1] ? this.cursors.get(m[1]) : undefined;
    if (!m?.[1] || !cursor) return undefined;
    const offset = Number(m[2]);
    const rows = cursor.rows.slice(offset, offset + cursor.batchSize);
    const nextOffset = offset + cursor.batchSize;
    if (nextOffset >= cursor.rows.length) this.cursors.delete(m[1]);
    return {
      rows,
      total: cursor.rows.length,
      ...(nextOffset < cursor.rows.length ? { next: `${m[1]}-${nextOffset}` } : {}),
    };
  }

  clear(): void {
    this.cursors.clear();
  }
}
