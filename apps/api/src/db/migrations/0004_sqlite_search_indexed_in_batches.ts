// Migration 0004_sqlite_search_indexed_in_batches.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0004(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'sqlite') return;
      // Indexing each new address in its signup's own transaction cost a quarter of a signup
      // (docs/benchmarks.md): FTS5 writes a segment per transaction. New rows now wait in
      // search_pending (a plain insert) and search-indexer.js indexes them in batches, several
      // times a second; searches read the pending rows directly until then. Deleting a row
      // takes it out of whichever of the two holds it. A rowid freed by a delete and taken again
      // by an insert is pending again, so nothing is left out of the index.
      await sql`savepoint search_in_batches`.execute(db);
      await sql`create table search_pending (id integer primary key)`.execute(db);
      await sql`drop trigger subscribers_search_insert`.execute(db);
      await sql`drop trigger subscribers_search_delete`.execute(db);
      await sql`create trigger subscribers_search_insert after insert on subscribers
        begin insert into search_pending (id) values (new.id); end`.execute(db);
      await sql`create trigger subscribers_search_delete after delete on subscribers
        begin
          insert into subscribers_search (subscribers_search, rowid, email)
          select 'delete', old.id, old.email
          where not exists (select 1 from search_pending where id = old.id);
          delete from search_pending where id = old.id;
        end`.execute(db);
      await sql`release search_in_batches`.execute(db);
    },
  };
}
