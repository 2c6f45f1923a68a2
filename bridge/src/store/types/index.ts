/**
 * The store's types, one module per concern: the `StateStore` interface and the records it
 * takes and returns. The store's entry (`../index.ts`) re-exports them all.
 */
export type * from './audit';
export type * from './leases';
export type * from './links';
export type * from './queues';
export type * from './state-store';
