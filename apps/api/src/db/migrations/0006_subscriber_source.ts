// Migration 0006_subscriber_source.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0006(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Where an address came from: a visitor's signup, an import (admin upload or CLI), or an
      // operator's `catlist add`. Every row before this came in by signup. No CHECK constraint:
      // SQLite can only change one by rebuilding the table; the stores write known values only.
      await db.schema
        .alterTable('subscribers')
        .addColumn('source', 'text', (col) => col.notNull().defaultTo('signup'))
        .execute();
      // An import is staged before it is committed (list-import.ts): the parsed addresses wait
      // here, out of the list, until one INSERT ... SELECT moves them in at once, so a failure
      // part-way through a large file imports nothing. Byte-order addresses as in 0001, so that
      // PostgreSQL compares them with the list's without a collation conflict.
      const emailType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
      await db.schema
        .createTable('imports')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('valid_rows', 'integer', (col) => col.notNull())
        .addColumn('invalid_rows', 'integer', (col) => col.notNull())
        .execute();
      await db.schema
        .createTable('import_rows')
        .addColumn('import_id', 'text', (col) =>
          col.notNull().references('imports.id').onDelete('cascade'),
        )
        .addColumn('email', emailType, (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('import_rows_pk', ['import_id', 'email'])
        .execute();
      if (dialect === 'postgres') {
        // The count trigger of 0002 ran per row: an import of 100,000 rows in one transaction
        // then updated the same 16 counter rows 100,000 times, each update slower than the one
        // before (every version of a row stays until the transaction ends). Per statement, with
        // the statement's rows as a transition table, each counter changes once per statement;
        // a signup's single-row insert still changes one.
        await sql`drop trigger subscribers_count on subscribers`.execute(db);
        await sql`drop function subscriber_count_update()`.execute(db);
        await sql`create function subscriber_count_insert() returns trigger language plpgsql as $$
          begin
            update subscriber_count c set n = c.n + d.k
            from (select 1 + (hashtext(email) & 15) as id, count(*) as k from inserted group by 1) d
            where c.id = d.id;
            return null;
          end $$`.execute(db);
        await sql`create function subscriber_count_delete() returns trigger language plpgsql as $$
          begin
            update subscriber_count c set n = c.n - d.k
            from (select 1 + (hashtext(email) & 15) as id, count(*) as k from removed group by 1) d
            where c.id = d.id;
            return null;
          end $$`.execute(db);
        await sql`create trigger subscribers_count_insert after insert on subscribers
          referencing new table as inserted
          for each statement execute function subscriber_count_insert()`.execute(db);
        await sql`create trigger subscribers_count_delete after delete on subscribers
          referencing old table as removed
          for each statement execute function subscriber_count_delete()`.execute(db);
      }
    },
  };
}
