// Migration 0010_spent_challenges.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0010(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // The signup challenge (proof of work): each challenge buys one signup. A challenge is
      // spent by inserting its signature here, in the signup's transaction; a second insert of
      // the same signature inserts nothing, on every instance sharing the database. Rows are
      // useless once the challenge has expired, and are swept then.
      await sql`create table spent_challenges (
        signature text primary key,
        expires_at bigint not null
      )`.execute(db);
      await sql`create index spent_challenges_expires_at on spent_challenges (expires_at)`.execute(
        db,
      );
    },
  };
}
