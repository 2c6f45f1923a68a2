/** Bad command-line usage (exit code 2): the message says what to type instead. */
export class UsageError extends Error {}
