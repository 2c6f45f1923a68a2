import { randomBytes, randomUUID } from 'node:crypto';

export const newGuid = (): string => randomUUID();

/**
 * A quoted opaque entity tag in the shape Partner Center returns
 * (`"00006d10-0000-0000-0000-5c70aa630000"`, create-a-referral 2019 sample).
 */
export function newETag(): string {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex');
  return `"${hex(4)}-0000-0000-0000-${hex(6)}"`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (value: string): boolean => GUID.test(value);
