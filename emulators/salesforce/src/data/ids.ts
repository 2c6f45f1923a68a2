const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The 3-character case-safe suffix that turns a 15-character id into 18: each 5-character
 * chunk gives one character whose bits mark the upper-case letters in the chunk.
 */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return suffix;
}

/** `prefix` (3) + pod/instance chars + base-62 counter = 15, plus the checksum = 18. */
export function makeId(prefix: string, counter: number): string {
  let body = '';
  let n = counter;
  do {
    body = BASE62.charAt(n % 62) + body;
    n = Math.floor(n / 62);
  } while (n > 0);
  const id15 = `${prefix}5g${body.padStart(10, '0')}`;
  return id15 + caseSafeSuffix(id15);
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

/** The 18-character form of a 15- or 18-character id, or undefined when it is not id-shaped. */
export function normalizeId(value: string): string | undefined {
  if (!ID_SHAPE.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  const full = id15 + caseSafeSuffix(id15);
  if (value.length === 18 && value.slice(15).toUpperCase() !== full.slice(15)) return undefined;
  return full;
}
