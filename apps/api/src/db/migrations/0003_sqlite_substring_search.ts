// Migration 0003_sqlite_substring_search.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0003(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // PostgreSQL scans in parallel and can take a pg_trgm index later; nothing to do there.
      if (dialect !== 'sqlite') return;
      // A trigram full-text index answers "addresses containing q" without reading every row.
      // FTS5 external content points at rows by rowid, and VACUUM may renumber the rowids of a
      // table without an INTEGER PRIMARY KEY, so the table is rebuilt with one first.
      await sql`savepoint substring_search`.execute(db);
      await sql`create table subscribers_v3 (
        id integer primary key,
        email text not null unique,
        created_at bigint not null
      )`.execute(db);
      await sql`insert into subscribers_v3 (email, created_at)
        select email, created_at from subscribers order by created_at, email`.execute(db);
      await sql`drop table subscribers`.execute(db);
      await sql`alter table subscribers_v3 rename to subscribers`.execute(db);
      await sql`create index subscribers_created_at_email
        on subscribers (created_at desc, email)`.execute(db);
      await sql`create trigger subscribers_count_insert after insert on subscribers
        begin update subscriber_count set n = n + 1 where id = 1; end`.execute(db);
      await sql`create trigger subscribers_count_delete after delete on subscribers
        begin update subscriber_count set n = n - 1 where id = 1; end`.execute(db);
      await sql`create virtual table subscribers_search using fts5(
        email, content = 'subscribers', content_rowid = 'id', tokenize = 'trigram', detail = 'none'
      )`.execute(db);
      await sql`insert into subscribers_search (subscribers_search) values ('rebuild')`.execute(db);
      await sql`create trigger subscribers_search_insert after insert on subscribers
        begin insert into subscribers_search (rowid, email) values (new.id, new.email); end`.execute(
        db,
      );
      await sql`create trigger subscribers_search_delete after delete on subscribers
        begin
          insert into subscribers_search (subscribers_search, rowid, email)
          values ('delete', old.id, old.email);
        end`.execute(db);
      await sql`release substring_search`.execute(db);
    },
  };
}
