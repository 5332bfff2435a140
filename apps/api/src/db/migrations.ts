import { normalizeEmail } from '@catlist/contracts';
import { type Kysely, sql } from 'kysely';
import {
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
} from 'kysely/migration';
import { hashOwnerToken, newOwnerToken } from './owner-token.js';

export type Dialect = 'sqlite' | 'postgres';

// Migrations are code, in order, never edited once released: add a new entry instead. The few
// dialect differences (collation, trigger syntax) stay inside this file.
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_subscribers_and_sessions': {
      async up(db: Kysely<unknown>) {
        // Byte order for addresses on both backends, so the list order (and so paging) is the same.
        const emailType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
        await db.schema
          .createTable('subscribers')
          .addColumn('email', emailType, (col) => col.primaryKey())
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .execute();
        // Newest first, ties by email: the admin list's keyset order.
        await db.schema
          .createIndex('subscribers_created_at_email')
          .on('subscribers')
          .columns(['created_at desc', 'email'])
          .execute();
        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('data', 'text', (col) => col.notNull())
          .addColumn('expires_at', 'bigint', (col) => col.notNull())
          .execute();
        await db.schema
          .createIndex('sessions_expires_at')
          .on('sessions')
          .column('expires_at')
          .execute();
      },
    },
    '0002_subscriber_count_and_rate_limits': {
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
    },
    '0003_sqlite_substring_search': {
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
        await sql`insert into subscribers_search (subscribers_search) values ('rebuild')`.execute(
          db,
        );
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
    },
    '0004_sqlite_search_indexed_in_batches': {
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
    },
    '0005_canonical_addresses_and_owners': {
      async up(db: Kysely<unknown>) {
        // All or nothing: PostgreSQL runs each migration in a transaction; SQLite's DDL is not
        // transactional for Kysely, so this one takes a savepoint (a failure half-way, e.g. a
        // crash, leaves the version before it).
        if (dialect === 'sqlite') await sql`savepoint canonical_addresses`.execute(db);
        // Addresses are normalised lower-case first, then NFC (docs/http-api.md); before, NFC came
        // first, which left some spellings with a capital and a combining mark (T + U+0308) in a
        // form NFC would compose (ẗ) once lower-cased: two rows for one address, one of which the
        // admin could not delete. Such rows are rewritten; where both spellings are there, the
        // two merge into the canonical one, keeping the earlier signup time.
        await canonicaliseAddresses(db, dialect);
        // Ownership: the session that put an address on the list keeps a random token, the row
        // its hash. The sessions that remember an address now become its owners, so every
        // visitor who could take their address off the list before can still do so.
        await db.schema.alterTable('subscribers').addColumn('owner_hash', 'text').execute();
        await claimOwnership(db);
        if (dialect === 'postgres') {
          // A client address from X-Forwarded-For can be longer than 255 characters.
          await sql`alter table rate_limits alter column key type text`.execute(db);
        }
        if (dialect === 'sqlite') await sql`release canonical_addresses`.execute(db);
      },
    },
    '0006_subscriber_source': {
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
    },
    '0007_confirmation_by_email': {
      async up(db: Kysely<unknown>) {
        // Confirmation by email (docs/http-api.md).
        const id =
          dialect === 'postgres'
            ? sql`bigint generated always as identity primary key`
            : sql`integer primary key autoincrement`;
        const emailType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
        // When the address was confirmed by mail; null for addresses that joined without.
        await db.schema.alterTable('subscribers').addColumn('confirmed_at', 'bigint').execute();
        // Owners besides the row's owner_hash: every session whose request was confirmed and
        // every browser that opened the link. They go with the address when it leaves the list.
        await sql`create table subscriber_owners (
          email ${emailType} not null references subscribers (email) on delete cascade,
          owner_hash text not null,
          primary key (email, owner_hash)
        )`.execute(db);
        // Pending requests: only the SHA-256 of the token is kept; purged once expired.
        await sql`create table confirmations (
          token_hash text primary key,
          email ${emailType} not null,
          owner_hash text,
          created_at bigint not null,
          expires_at bigint not null,
          confirmed_at bigint
        )`.execute(db);
        await sql`create index confirmations_email on confirmations (email)`.execute(db);
        await sql`create index confirmations_expires_at on confirmations (expires_at)`.execute(db);
        // The outbox: a mail waits here until the SMTP server took it. The confirmation token is
        // kept only until then (it is in the mail), and a sent row stays a day to count towards
        // the cap of mails per address.
        await sql`create table mail_outbox (
          id ${id},
          email ${emailType} not null,
          kind text not null,
          token text,
          queued_at bigint not null,
          attempts integer not null default 0,
          next_attempt_at bigint not null,
          claimed_until bigint not null default 0,
          sent_at bigint,
          last_error text
        )`.execute(db);
        await sql`create index mail_outbox_email on mail_outbox (email, queued_at)`.execute(db);
        await sql`create index mail_outbox_due on mail_outbox (next_attempt_at)
          where sent_at is null`.execute(db);
      },
    },
  };
}

/** Rewrites every stored address to its normalised form (see 0005), merging duplicates. */
async function canonicaliseAddresses(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const list = db as Kysely<{ subscribers: { email: string; created_at: number } }>;
  // Only an address with a character outside printable ASCII can change.
  const outsideAscii =
    dialect === 'sqlite' ? sql<boolean>`email glob '*[^ -~]*'` : sql<boolean>`email ~ '[^ -~]'`;
  const nonAscii = await sql<{ email: string; created_at: number | string }>`
    select email, created_at from subscribers where ${outsideAscii}`.execute(db);
  for (const row of nonAscii.rows) {
    const canonical = normalizeEmail(row.email);
    if (canonical === row.email) continue;
    const createdAt = Number(row.created_at);
    const existing = await list
      .selectFrom('subscribers')
      .select('created_at')
      .where('email', '=', canonical)
      .executeTakeFirst();
    // Delete and insert rather than update, so the count and search triggers follow.
    await list.deleteFrom('subscribers').where('email', '=', row.email).execute();
    if (existing) {
      await list
        .updateTable('subscribers')
        .set({ created_at: Math.min(createdAt, Number(existing.created_at)) })
        .where('email', '=', canonical)
        .execute();
    } else {
      await list
        .insertInto('subscribers')
        .values({ email: canonical, created_at: createdAt })
        .execute();
    }
  }
}

/** Gives each address that live sessions remember one owner token, kept by all those sessions. */
async function claimOwnership(db: Kysely<unknown>): Promise<void> {
  const tables = db as Kysely<{
    subscribers: { email: string; owner_hash: string | null };
    sessions: { id: string; data: string };
  }>;
  const sessions = await tables.selectFrom('sessions').select(['id', 'data']).execute();
  const tokens = new Map<string, string | null>();
  for (const session of sessions) {
    const data = sessionData(session.data);
    // A row no version of koa-session wrote (`null`, an array, broken JSON) is left as it is:
    // koa-session treats it as no session, and the migration must not stop the server over it.
    if (data === undefined || typeof data.email !== 'string') continue;
    const email = normalizeEmail(data.email);
    let token = tokens.get(email);
    if (token === undefined) {
      token = newOwnerToken();
      const claimed = await tables
        .updateTable('subscribers')
        .set({ owner_hash: hashOwnerToken(token) })
        .where('email', '=', email)
        .where('owner_hash', 'is', null)
        .executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) token = null; // not on the list: nothing to own
      tokens.set(email, token);
    }
    const updated: Record<string, unknown> = { ...data, email };
    if (token) updated.owner = token;
    await tables
      .updateTable('sessions')
      .set({ data: JSON.stringify(updated) })
      .where('id', '=', session.id)
      .execute();
  }
}

/** A stored session's data when it is a JSON object, else undefined. */
function sessionData(text: string): Record<string, unknown> | undefined {
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      return data as Record<string, unknown>;
    }
  } catch {
    // not JSON: see the caller
  }
  return undefined;
}

/** Brings the schema up to date; throws (and changes nothing further) if a migration fails. */
export function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  return migrate(db, dialect, (migrator) => migrator.migrateToLatest());
}

/** Brings the schema up to `name` and no further (tests of later migrations start there). */
export function migrateTo(db: Kysely<unknown>, dialect: Dialect, name: string): Promise<void> {
  return migrate(db, dialect, (migrator) => migrator.migrateTo(name));
}

async function migrate(
  db: Kysely<unknown>,
  dialect: Dialect,
  run: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  // Kysely's migrator holds a lock (a row lock on PostgreSQL) while it runs, so instances that
  // start together run each migration exactly once.
  // Kysely looks for its bookkeeping tables in every schema unless told which one: name the
  // current schema, or another schema's tables on the same server would be taken for ours.
  const schema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]
          ?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await run(migrator);
    // Kysely's check for its own tables lists the tables of every schema on the server; a schema
    // someone else drops meanwhile (another instance's tests, an operator) fails that listing
    // with 3F000 "schema does not exist". On PostgreSQL the run is one transaction, so nothing
    // of it stays: try again.
    if (attempt < MIGRATION_ATTEMPTS && isMissingSchema(error)) continue;
    const failed = results?.find((result) => result.status === 'Error');
    if (error || failed) {
      throw new Error(`Database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
    }
    return;
  }
}

const MIGRATION_ATTEMPTS = 3;

function isMissingSchema(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '3F000'
  );
}
