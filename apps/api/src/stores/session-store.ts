import type { DatabaseHandle } from '../db/open-database.js';
import { preparedQuery } from '../db/prepared-query.js';
import type { Schema } from '../db/schema.js';

/** A stored session: its data, and the version (the stored text) it was read at. */
export interface StoredSession {
  data: Record<string, unknown>;
  version: string;
}

/** Server-side session data, keyed by the opaque id the cookie carries. */
export interface SessionStore {
  /** The session, or null when the id is unknown or the session has expired. */
  get(id: string, now: number): Promise<StoredSession | null>;
  /**
   * Stores a session. `'insert'`: a new id, created here. `'update'`: replace an existing session
   * (never recreating one that was destroyed). `{ version }`: replace it only if it is still the
   * version the caller read (compare-and-set), so that a request that merely refreshed a session
   * it read before another request changed it (a logout, say) cannot write the old state back.
   * Returns the new version, or null when nothing was written.
   */
  set(
    id: string,
    data: Record<string, unknown>,
    expiresAt: number,
    condition: 'insert' | 'update' | { version: string },
  ): Promise<string | null>;
  destroy(id: string): Promise<void>;
  /** Deletes expired sessions and returns how many went. */
  purgeExpired(now: number): Promise<number>;
}

/** Sessions kept in memory per SQLite database (about 250 bytes each; see ReadCache). */
export const SESSION_CACHE_SIZE = 20_000;

/** A session row as the database's read cache keeps it (DatabaseHandle.caches.sessions). */
export interface CachedSession {
  text: string;
  expiresAt: number;
}

/** Sessions stored in the `sessions` table, beside the list. */
export function createSessionStore(database: DatabaseHandle): SessionStore {
  // Shared with every other session store over this database (see ReadCaches).
  const { db, caches } = database;
  const cache = caches.sessions;
  const select = preparedQuery<'id' | 'now', { data: string; expires_at: number }, Schema>(
    db,
    (param) =>
      db
        .selectFrom('sessions')
        .select(['data', 'expires_at'])
        .where('id', '=', param('id'))
        .where('expires_at', '>', param('now')),
  );
  const upsert = preparedQuery<'id' | 'data' | 'expiresAt', never, Schema>(db, (param) =>
    db
      .insertInto('sessions')
      .values({ id: param('id'), data: param('data'), expires_at: param('expiresAt') })
      .onConflict((conflict) =>
        conflict.column('id').doUpdateSet({ data: param('data'), expires_at: param('expiresAt') }),
      ),
  );
  const update = preparedQuery<'id' | 'data' | 'expiresAt' | 'expected', never, Schema>(
    db,
    (param) =>
      db
        .updateTable('sessions')
        .set({ data: param('data'), expires_at: param('expiresAt') })
        .where('id', '=', param('id'))
        .where('data', '=', param('expected')),
  );
  const replace = preparedQuery<'id' | 'data' | 'expiresAt', never, Schema>(db, (param) =>
    db
      .updateTable('sessions')
      .set({ data: param('data'), expires_at: param('expiresAt') })
      .where('id', '=', param('id')),
  );
  return {
    async get(id, now) {
      const cached = cache.get(id);
      if (cached && cached.expiresAt > now) return parseSession(cached.text);
      const [row] = (await select({ id, now })).rows;
      if (!row) return null;
      cache.put(id, { text: row.data, expiresAt: Number(row.expires_at) });
      return parseSession(row.data);
    },

    async set(id, data, expiresAt, condition) {
      const json = JSON.stringify(data);
      return cache.dropAround(id, async () => {
        if (condition === 'insert') {
          await upsert({ id, data: json, expiresAt });
        } else {
          const result =
            condition === 'update'
              ? await replace({ id, data: json, expiresAt })
              : await update({ id, data: json, expiresAt, expected: condition.version });
          if (!result.numAffectedRows) return null;
        }
        return json;
      });
    },

    async destroy(id) {
      await cache.dropAround(id, async () => {
        await db.deleteFrom('sessions').where('id', '=', id).execute();
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

function parseSession(text: string): StoredSession | null {
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data !== 'object' || data === null) return null;
    return { data: data as Record<string, unknown>, version: text };
  } catch {
    return null;
  }
}
