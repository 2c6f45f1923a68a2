/** `cosell` exit codes (DESIGN.md CLI contract). */
export const EXIT = {
  /** Done; every check passed. */
  ok: 0,
  /** Ran, but something failed (a check, a sign-in, a record). */
  failed: 1,
  /** Bad usage or bad configuration: nothing was attempted. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
