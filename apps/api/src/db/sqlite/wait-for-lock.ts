import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long SQLite itself waits for a lock before it answers SQLITE_BUSY. Kept to a few ms: that
 * wait blocks the event loop (better-sqlite3 is synchronous), so longer waits happen between
 * attempts, on timers (`untilUnlocked`).
 */
export const BUSY_TIMEOUT_MS = 2;

/** Longest a write waits in all for a lock held by another connection, by default. */
export const LOCK_WAIT_MS = 5_000;

/** Pauses between attempts: short at first (most locks are held for microseconds), then 50 ms. */
const BACKOFF_MS = [1, 2, 5, 10, 20, 50];

/** True for SQLite's "another connection holds the lock" (SQLITE_BUSY and its variants). */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `attempt` (BEGIN IMMEDIATE, COMMIT, a read) until no other connection's lock stops it.
 * The first try is synchronous and returns undefined when it succeeds, so the common case costs
 * no turn of the event loop; on SQLITE_BUSY it returns a promise that tries again on timers, so
 * timers and requests go on meanwhile, and rejects with SQLite's own SQLITE_BUSY error once
 * `limitMs` have passed (database-errors.ts answers that with a 503). Any other error is thrown
 * at once.
 */
export function untilUnlocked<T>(
  attempt: () => T,
  limitMs: number,
): { value: T } | Promise<{ value: T }> {
  try {
    return { value: attempt() };
  } catch (error) {
    if (!isBusy(error)) throw error;
  }
  return (async () => {
    const deadline = Date.now() + limitMs;
    for (let round = 0; ; round++) {
      await sleep(BACKOFF_MS[Math.min(round, BACKOFF_MS.length - 1)]);
      try {
        return { value: attempt() };
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
      }
    }
  })();
}
