import type { Kysely } from 'kysely';
import type { Schema } from './schema.js';

/** The list of addresses. Every address passed in is already normalised. */
export interface SubscriberStore {
  /** Adds the address unless it is already there (then it is left untouched). */
  add(email: string, now: number): Promise<void>;
  has(email: string): Promise<boolean>;
  /** Removes the address; false when it was not on the list. */
  remove(email: string): Promise<boolean>;
  count(): Promise<number>;
}

/** The list, stored in the `subscribers` table through Kysely (SQLite or PostgreSQL). */
export function createSubscriberStore(db: Kysely<Schema>): SubscriberStore {
  return {
    async add(email, now) {
      await db
        .insertInto('subscribers')
        .values({ email, created_at: now })
        .onConflict((conflict) => conflict.column('email').doNothing())
        .execute();
    },

    async has(email) {
      const row = await db
        .selectFrom('subscribers')
        .select('email')
        .where('email', '=', email)
        .executeTakeFirst();
      return row !== undefined;
    },

    async remove(email) {
      const result = await db
        .deleteFrom('subscribers')
        .where('email', '=', email)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async count() {
      const row = await db
        .selectFrom('subscribers')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
