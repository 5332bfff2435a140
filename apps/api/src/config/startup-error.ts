/**
 * A reason the server cannot start, as one line that says what to do. server.ts prints the message
 * alone (no stack trace: it is the operator's problem to fix, not a bug) and exits non-zero.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
