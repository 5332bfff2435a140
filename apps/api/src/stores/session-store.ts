import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/open-database.js';
import { preparedQuery } from '../db/prepared-query.js';
import type { Executor, Schema } from '../db/schema.js';

/** A stored session: its data, and the version it was read at. */
export interface StoredSession {
  data: Record<string, unknown>;
  version: number;
}

/**
 * Server-side session data, keyed by the opaque id the cookie carries. Every method takes an
 * optional executor: a request that changes the list and its session together passes its
 * transaction, so both commit as one.
 */
export interface SessionStore {
  /** The session, or null when the id is unknown or the session has expired. */
  get(id: string, now: number, db?: Executor): Promise<StoredSession | null>;
  /** Stores a session under a new id; its version. */
  insert(
    id: string,
    data: Record<string, unknown>,
    expiresAt: number,
    db?: Executor,
  ): Promise<number>;
  /**
   * Replaces the session only if it is still at `version` (compare-and-set), so that a request
   * that read it before another request changed it (a logout, say) cannot write the old state
   * back, and a destroyed session never comes back. The new version, or null when nothing was
   * written.
   */
  update(
    id: string,
    data: Record<string, unknown>,
    expiresAt: number,
    version: number,
    db?: Executor,
  ): Promise<number | null>;
  destroy(id: string, db?: Executor): Promise<void>;
  /** Deletes expired sessions and returns how many went. */
  purgeExpired(now: number): Promise<number>;
}

/** Sessions stored in the `sessions` table, beside the list. */
export function createSessionStore(database: DatabaseHandle): SessionStore {
  // Shared with every other session store over this database (see ReadCaches).
  const { db, caches } = database;
  const cache = caches.sessions;
  const select = preparedQuery<
    'id' | 'now',
    { data: string; expires_at: number; version: number },
    Schema
  >(db, (param) =>
    db
      .selectFrom('sessions')
      .select(['data', 'expires_at', 'version'])
      .where('id', '=', param('id'))
      .where('expires_at', '>', param('now')),
  );
  const insert = preparedQuery<'id' | 'data' | 'expiresAt', never, Schema>(db, (param) =>
    db
      .insertInto('sessions')
      .values({ id: param('id'), data: param('data'), expires_at: param('expiresAt') }),
  );
  const update = preparedQuery<'id' | 'data' | 'expiresAt' | 'version', never, Schema>(
    db,
    (param) =>
      db
        .updateTable('sessions')
        .set({
          data: param('data'),
          expires_at: param('expiresAt'),
          version: sql<number>`version + 1`,
        })
        .where('id', '=', param('id'))
        .where('version', '=', param('version')),
  );
  return {
    async get(id, now, executor) {
      const cached = cache.get(id);
      if (cached && cached.expiresAt > now) return parseSession(cached.data, cached.version);
      const [row] = (await select({ id, now }, executor)).rows;
      if (!row) return null;
      const version = Number(row.version);
      cache.put(id, { data: row.data, expiresAt: Number(row.expires_at), version });
      return parseSession(row.data, version);
    },

    async insert(id, data, expiresAt, executor) {
      await cache.dropAround(id, () =>
        insert({ id, data: JSON.stringify(data), expiresAt }, executor),
      );
      return 0; // the column's default
    },

    async update(id, data, expiresAt, version, executor) {
      const json = JSON.stringify(data);
      return cache.dropAround(id, async () => {
        const result = await update({ id, data: json, expiresAt, version }, executor);
        return result.numAffectedRows ? version + 1 : null;
      });
    },

    async destroy(id, executor = db) {
      await cache.dropAround(id, async () => {
        await executor.deleteFrom('sessions').where('id', '=', id).execute();
      });
    },

    async purgeExpired(now) {
      const result = await db
        .deleteFrom('sessions')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

function parseSession(text: string, version: number): StoredSession | null {
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
    return { data: data as Record<string, unknown>, version };
  } catch {
    return null;
  }
}
