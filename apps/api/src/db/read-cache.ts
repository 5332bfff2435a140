/** Sessions kept in memory per SQLite database (about 250 bytes each). */
export const SESSION_CACHE_SIZE = 20_000;
/** Addresses whose membership is kept in memory per SQLite database. */
export const MEMBERSHIP_CACHE_SIZE = 20_000;

/** A session row as the read cache keeps it (ReadCaches.sessions, stores/session-store.ts). */
export interface CachedSession {
  data: string;
  expiresAt: number;
  version: number;
}

/** How often a read checks for commits by other connections. */
export const EXTERNAL_CHECK_MS = 1_000;

/**
 * Rows read recently, kept in memory, for SQLite only: there the process that owns the file is
 * the only writer and every write goes through the stores of this database, which share its caches
 * (`openDatabase` makes them, see ReadCaches), so a copy stays exact. PostgreSQL is shared by
 * several processes and is always asked: its caches have capacity 0 and keep nothing. Reading the
 * session and the address's row from SQLite was most of the cost of GET /api/session under load
 * (docs/benchmarks.md).
 *
 * How the stores keep it exact: a write drops its key before its statement and again once
 * committed (`dropAround`). A read that missed puts what it read within the same event-loop turn
 * (microtasks after its statement, better-sqlite3 being synchronous), so it can only put a value
 * older than a write still in flight, or that write's own value (reads see the uncommitted group,
 * sqlite/group-commit.ts), and that write's second drop, a turn or more later (after COMMIT, or
 * after it failed), removes it. The oldest entry goes when `capacity` is reached.
 *
 * Someone may still change the file from outside (the sqlite3 shell, a script): at most once a
 * second a read asks SQLite whether another connection committed since, and if one did, the cache
 * starts empty. Such a change shows within a second.
 */
export class ReadCache<V> {
  readonly #entries = new Map<string, V>();
  readonly #capacity: number;
  readonly #externalVersion: (() => number) | undefined;
  #version: number | undefined;
  #nextCheck = 0;

  constructor(capacity: number, externalVersion?: () => number) {
    this.#capacity = capacity;
    this.#externalVersion = externalVersion;
    this.#version = externalVersion?.();
  }

  get(key: string): V | undefined {
    if (this.#externalVersion) {
      const now = Date.now();
      if (now >= this.#nextCheck) {
        this.#nextCheck = now + EXTERNAL_CHECK_MS;
        const version = this.#externalVersion();
        if (version !== this.#version) {
          this.#version = version;
          this.#entries.clear();
        }
      }
    }
    return this.#entries.get(key);
  }

  put(key: string, value: V): void {
    if (this.#capacity === 0) return; // a cache that keeps nothing (PostgreSQL)
    if (this.#entries.size >= this.#capacity && !this.#entries.has(key)) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, value);
  }

  /** Forgets everything (after a write to many keys at once, such as an import). */
  clear(): void {
    this.#entries.clear();
  }

  drop(key: string): void {
    this.#entries.delete(key);
  }

  /** Runs a write to `key`'s row with the key dropped before it and again after it settles. */
  async dropAround<T>(key: string, write: () => Promise<T>): Promise<T> {
    this.#entries.delete(key);
    try {
      return await write();
    } finally {
      this.#entries.delete(key);
    }
  }
}
