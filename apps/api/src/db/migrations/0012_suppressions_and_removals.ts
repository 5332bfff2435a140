// Migration 0012_suppressions_and_removals.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0012(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const id =
        dialect === 'postgres'
          ? sql`bigint generated always as identity primary key`
          : sql`integer primary key autoincrement`;
      const emailType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
      // The suppression list: addresses that left by themselves (unsubscribe link, the
      // unregister button) or that the admin removed as a complaint. Imports and `catlist add`
      // skip them unless told otherwise; the visitor's own signup takes the address off again.
      // The normalised address in the clear, not a hash: the admin sees and lifts entries, and
      // a hash of an address is found again by hashing guesses anyway.
      await sql`create table suppressions (
        email ${emailType} primary key,
        suppressed_at bigint not null,
        reason text not null
      )`.execute(db);
      // Every removal from the list, with its time and kind and nothing else (no address): the
      // admin's growth picture counts them per day through the index on removed_at.
      await sql`create table removals (
        id ${id},
        removed_at bigint not null,
        kind text not null
      )`.execute(db);
      await sql`create index removals_removed_at on removals (removed_at)`.execute(db);
      // Addresses on the list per UTC day of their signup time (day = created_at / 86400000),
      // kept by triggers as subscriber_count is (0002, 0006): the growth picture reads 90 rows
      // instead of grouping up to the whole list (measured at 1,000,000 rows in the last 90
      // days: about 530 ms on SQLite for the grouped count over the created_at index). On
      // PostgreSQL 16 rows a day by a hash of the address, so that signups at once do not all
      // wait on one row; per statement, as 0006, so an import changes each row once.
      await sql`create table daily_joins (
        day bigint not null,
        shard integer not null,
        n bigint not null,
        primary key (day, shard)
      )`.execute(db);
      const DAY_MS = 86_400_000;
      if (dialect === 'postgres') {
        await sql`insert into daily_joins (day, shard, n)
          select created_at / ${sql.lit(DAY_MS)}, hashtext(email) & 15, count(*)
          from subscribers group by 1, 2`.execute(db);
        await sql`create function daily_joins_insert() returns trigger language plpgsql as $$
          begin
            insert into daily_joins (day, shard, n)
            select created_at / ${sql.lit(DAY_MS)}, hashtext(email) & 15, count(*)
            from inserted group by 1, 2 order by 1, 2
            on conflict (day, shard) do update set n = daily_joins.n + excluded.n;
            return null;
          end $$`.execute(db);
        await sql`create function daily_joins_delete() returns trigger language plpgsql as $$
          begin
            update daily_joins j set n = j.n - r.k
            from (select created_at / ${sql.lit(DAY_MS)} as day, hashtext(email) & 15 as shard,
                    count(*) as k
                  from removed group by 1, 2) r
            where j.day = r.day and j.shard = r.shard;
            return null;
          end $$`.execute(db);
        await sql`create trigger subscribers_daily_joins_insert after insert on subscribers
          referencing new table as inserted
          for each statement execute function daily_joins_insert()`.execute(db);
        await sql`create trigger subscribers_daily_joins_delete after delete on subscribers
          referencing old table as removed
          for each statement execute function daily_joins_delete()`.execute(db);
      } else {
        await sql`insert into daily_joins (day, shard, n)
          select created_at / ${sql.lit(DAY_MS)}, 0, count(*) from subscribers
          where true group by 1`.execute(db);
        await sql`create trigger subscribers_daily_joins_insert after insert on subscribers
          begin
            insert into daily_joins (day, shard, n) values (new.created_at / ${sql.lit(DAY_MS)}, 0, 1)
            on conflict (day, shard) do update set n = n + 1;
          end`.execute(db);
        await sql`create trigger subscribers_daily_joins_delete after delete on subscribers
          begin
            update daily_joins set n = n - 1
            where day = old.created_at / ${sql.lit(DAY_MS)} and shard = 0;
          end`.execute(db);
      }
    },
  };
}
