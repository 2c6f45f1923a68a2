/** Wall-clock time plus an offset the control API can advance (retention, token expiry). */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

/** REST record datetimes look like `2019-11-11T13:11:05.000+0000`. */
export function restDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** CometD CDC bodies carry `2017-07-25T19:16:44Z`. */
export function cometdDateTime(value: string): string {
  return new Date(parseDateTime(value)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Accepts ISO datetimes with `Z`, `+0000` or `+00:00` offsets. */
export function parseDateTime(value: string): number {
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Date.parse(normalized);
}
