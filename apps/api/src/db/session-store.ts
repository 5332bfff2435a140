import type { DatabaseHandle } from './open-database.js';
import { preparedQuery } from './prepared-query.js';
import type { Schema } from './schema.js';

/** Server-side session data, keyed by the opaque id the cookie carries. */
export interface SessionStore {
  /** The session's data, or null when the id is unknown or the session has expired. */
  get(id: string, now: number): Promise<Record<string, unknown> | null>;
  set(id: string, data: Record<string, unknown>, expiresAt: number): Promise<void>;
  destroy(id: string): Promise<void>;
  /** Deletes expired sessions and returns how many went. */
  purgeExpired(now: number): Promise<number>;
  count(): Promise<number>;
}

/** Sessions stored in the `sessions` table, beside the list. */
export function createSessionStore({ db, committed }: DatabaseHandle): SessionStore {
  const select = preparedQuery<'id' | 'now', { data: string }, Schema>(db, (param) =>
    db
      .selectFrom('sessions')
      .select('data')
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
  return {
    async get(id, now) {
      const [row] = (await select({ id, now })).rows;
      if (!row) return null;
      try {
        const data: unknown = JSON.parse(row.data);
        return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : null;
      } catch {
        return null;
      }
    },

    async set(id, data, expiresAt) {
      await upsert({ id, data: JSON.stringify(data), expiresAt });
      await committed();
    },

    async destroy(id) {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
      await committed();
    },

    async purgeExpired(now) {
      const result = await db
        .deleteFrom('sessions')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      await committed();
      return Number(result.numDeletedRows);
    },

    async count() {
      const row = await db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
