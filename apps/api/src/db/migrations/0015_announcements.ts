// Migration 0015_announcements.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0015(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const id =
        dialect === 'postgres'
          ? sql`bigint generated always as identity primary key`
          : sql`integer primary key autoincrement`;
      const emailType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
      // The language a subscriber's mails go in: the one their confirmation mail went in (0011).
      // Filled from the outbox for addresses whose confirmation mail is still there; null for the
      // rest, who get an announcement's first version.
      await sql`alter table subscribers add column language text`.execute(db);
      await sql`update subscribers set language = (
          select o.language from mail_outbox o
          where o.email = subscribers.email and o.language is not null
          order by o.id desc limit 1)
        where confirmed_at is not null`.execute(db);
      // One row per announcement. The text (every language's version) is JSON; the counts are
      // kept here, changed in the transaction that changes a recipient's state, so the history
      // reads one row per announcement however many recipients it had.
      await sql`create table announcements (
        id ${id},
        status text not null,
        messages text not null,
        created_at bigint not null,
        updated_at bigint not null,
        started_at bigint,
        finished_at bigint,
        queue_cursor ${emailType},
        queueing_done integer not null default 0,
        recipients bigint not null default 0,
        sent bigint not null default 0,
        failed bigint not null default 0,
        skipped bigint not null default 0,
        unsubscribed bigint not null default 0
      )`.execute(db);
      // The announcements' outbox: one row per recipient and announcement (the primary key: at
      // most one mail each), with the mail outbox's lease and retry columns (0007). `paced_at`:
      // when its mail last took a slot of the site's pace (ANNOUNCE_HOURLY_CAP counts these).
      await sql`create table announcement_outbox (
        announcement_id bigint not null,
        email ${emailType} not null,
        language text,
        state text not null default 'queued',
        attempts integer not null default 0,
        next_attempt_at bigint not null default 0,
        claimed_until bigint not null default 0,
        paced_at bigint,
        last_error text,
        primary key (announcement_id, email)
      )`.execute(db);
      // What the drainer reads: the queued rows only, so that a half-sent announcement's sent
      // rows are never scanned again.
      await sql`create index announcement_outbox_queued on announcement_outbox
        (announcement_id, email) where state = 'queued'`.execute(db);
      await sql`create index announcement_outbox_paced on announcement_outbox (paced_at)
        where paced_at is not null`.execute(db);
      // The site's pace, shared by every instance: the earliest time the next mail may leave.
      await sql`create table announcement_pace (
        id integer primary key,
        next_at bigint not null
      )`.execute(db);
      await sql`insert into announcement_pace (id, next_at) values (1, 0)`.execute(db);
    },
  };
}
