// Migration 0007_confirmation_by_email.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0007(dialect: Dialect): Migration {
  return {
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
  };
}
