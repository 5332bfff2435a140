// Migration 0002_subscriber_count_and_rate_limits.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0002(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // count(*) reads the whole index (8 ms at a million rows on SQLite, worse on PostgreSQL);
      // counters kept by triggers answer at once and can never drift from the table. The count
      // is the sum of the rows. SQLite has one writer, so one row; on PostgreSQL, one hot row
      // made every signup of every instance queue on its lock, so each address counts in one of
      // 16 rows, chosen by a hash of the address.
      await db.schema
        .createTable('subscriber_count')
        .addColumn('id', 'integer', (col) => col.primaryKey().check(sql`id between 1 and 16`))
        .addColumn('n', 'bigint', (col) => col.notNull())
        .execute();
      await sql`insert into subscriber_count (id, n) select 1, count(*) from subscribers`.execute(
        db,
      );
      if (dialect === 'sqlite') {
        await sql`create trigger subscribers_count_insert after insert on subscribers
          begin update subscriber_count set n = n + 1 where id = 1; end`.execute(db);
        await sql`create trigger subscribers_count_delete after delete on subscribers
          begin update subscriber_count set n = n - 1 where id = 1; end`.execute(db);
      } else {
        await sql`insert into subscriber_count (id, n) select generate_series(2, 16), 0`.execute(
          db,
        );
        await sql`create function subscriber_count_update() returns trigger language plpgsql as $$
          begin
            if tg_op = 'INSERT' then
              update subscriber_count set n = n + 1 where id = 1 + (hashtext(new.email) & 15);
            else
              update subscriber_count set n = n - 1 where id = 1 + (hashtext(old.email) & 15);
            end if;
            return null;
          end $$`.execute(db);
        await sql`create trigger subscribers_count after insert or delete on subscribers
          for each row execute function subscriber_count_update()`.execute(db);
        // rate-limiter-flexible's table (see its RateLimiterPostgres), created here so that
        // several instances starting at once do not race to create it.
        await sql`create table rate_limits (
          key varchar(255) primary key,
          points integer not null default 0,
          expire bigint
        )`.execute(db);
      }
    },
  };
}
