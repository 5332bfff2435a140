import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/open-database.js';
import type { MailKind } from './confirmation-store.js';

/** A mail taken from the outbox to be sent by this instance. */
export interface OutboxMail {
  id: number;
  email: string;
  kind: MailKind;
  /** The confirmation token, for `confirm` mails. */
  token: string | null;
  /** The language of the signup that queued it; null for a mail queued before 0011. */
  language: string | null;
  /** Tries so far, this one included. */
  attempts: number;
}

/**
 * The queue of mails that the server drains (outbox-drainer.ts). Rows are queued by the
 * confirmation store, in the transaction of the request they belong to.
 */
export interface MailOutbox {
  /**
   * Takes up to `limit` mails that are due and that no live instance holds, and holds them until
   * `leaseUntil`: a process that dies mid-send leaves them to be taken again once the lease ends
   * (at least once; at most a duplicate). Several instances never take the same row at once.
   */
  claim(now: number, leaseUntil: number, limit: number): Promise<OutboxMail[]>;
  /** The SMTP server took the mail: done, and its token is forgotten. */
  sent(id: number, now: number): Promise<void>;
  /** Try again at `nextAttemptAt`. */
  retryLater(id: number, nextAttemptAt: number, error: string): Promise<void>;
  /** The SMTP server refused the mail for good (5xx): no more tries. */
  giveUp(id: number, now: number, error: string): Promise<void>;
  /** Mails not sent yet (for tests and operators). */
  unsent(): Promise<number>;
  /** What `catlist outbox` shows: the queue as of `now`. */
  report(now: number, listed?: number): Promise<OutboxReport>;
  /**
   * Makes mail `id` due now (`catlist outbox retry`): a waiting or failing one, or one given up
   * on that still can be sent (a confirmation mail given up on has lost its token: not that one).
   * A mail an instance is sending right now is left to it.
   */
  retryNow(id: number, now: number): Promise<RetryOutcome>;
}

/** A mail of the report: one that failed at least once. */
export interface OutboxEntry {
  id: number;
  email: string;
  kind: MailKind;
  attempts: number;
  queuedAt: number;
  /** The next try (failing mails); for mails given up on, when. */
  nextAttemptAt: number;
  lastError: string;
}

export interface OutboxReport {
  /** Not sent yet and never failed (queued, or being sent). */
  waiting: number;
  /** Not sent yet, failed at least once: tried again later. */
  failing: number;
  /** Refused for good by the SMTP server since the start of today (UTC). */
  givenUpToday: number;
  /** Sent since the start of today (UTC). */
  sentToday: number;
  /** The oldest unsent mail's queue time; null when none waits. */
  oldestUnsentAt: number | null;
  /** Failing mails, oldest first, then today's given up; at most `listed` of each. */
  failingMails: OutboxEntry[];
  givenUpMails: OutboxEntry[];
}

export type RetryOutcome = 'due' | 'unknown' | 'sent' | 'sending' | 'token-gone';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The outbox in `mail_outbox` (SQLite or PostgreSQL). */
export function createMailOutbox(database: DatabaseHandle): MailOutbox {
  const { db, dialect } = database;
  // FOR UPDATE SKIP LOCKED: instances draining together each take other rows instead of waiting
  // for one another. SQLite has one writer (one process): the update alone is atomic.
  const skipLocked = dialect === 'postgres' ? sql`for update skip locked` : sql``;

  return {
    async claim(now, leaseUntil, limit) {
      const { rows } = await sql<{
        id: number | string;
        email: string;
        kind: MailKind;
        token: string | null;
        language: string | null;
        attempts: number | string;
      }>`update mail_outbox set claimed_until = ${leaseUntil}, attempts = attempts + 1
        where id in (
          select id from mail_outbox
          where sent_at is null and next_attempt_at <= ${now} and claimed_until <= ${now}
          order by id limit ${limit} ${skipLocked}
        )
        returning id, email, kind, token, language, attempts`.execute(db);
      return rows
        .map((row) => ({ ...row, id: Number(row.id), attempts: Number(row.attempts) }))
        .sort((a, b) => a.id - b.id);
    },

    async sent(id, now) {
      await db
        .updateTable('mail_outbox')
        .set({ sent_at: now, token: null, claimed_until: 0, last_error: null })
        .where('id', '=', id)
        .execute();
    },

    async retryLater(id, nextAttemptAt, error) {
      await db
        .updateTable('mail_outbox')
        .set({ next_attempt_at: nextAttemptAt, claimed_until: 0, last_error: error.slice(0, 500) })
        .where('id', '=', id)
        .execute();
    },

    async giveUp(id, now, error) {
      await db
        .updateTable('mail_outbox')
        .set({ sent_at: now, token: null, claimed_until: 0, last_error: error.slice(0, 500) })
        .where('id', '=', id)
        .execute();
    },

    async unsent() {
      const { n } = await db
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
        .where('sent_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(n);
    },

    async report(now, listed = 20) {
      const today = Math.floor(now / DAY_MS) * DAY_MS;
      const counts = await db
        .selectFrom('mail_outbox')
        .select((eb) => [
          eb.fn
            .sum<number | string | null>(
              sql`case when sent_at is null and last_error is null then 1 else 0 end`,
            )
            .as('waiting'),
          eb.fn
            .sum<number | string | null>(
              sql`case when sent_at is null and last_error is not null then 1 else 0 end`,
            )
            .as('failing'),
          eb.fn
            .sum<number | string | null>(
              sql`case when sent_at >= ${today} and last_error is not null then 1 else 0 end`,
            )
            .as('given_up'),
          eb.fn
            .sum<number | string | null>(
              sql`case when sent_at >= ${today} and last_error is null then 1 else 0 end`,
            )
            .as('sent'),
          eb.fn
            .min<number | string | null>(sql`case when sent_at is null then queued_at end`)
            .as('oldest'),
        ])
        .executeTakeFirstOrThrow();
      const entries = async (unsent: boolean) => {
        let query = db
          .selectFrom('mail_outbox')
          .select([
            'id',
            'email',
            'kind',
            'attempts',
            'queued_at',
            'next_attempt_at',
            'sent_at',
            'last_error',
          ])
          .where('last_error', 'is not', null);
        query = unsent ? query.where('sent_at', 'is', null) : query.where('sent_at', '>=', today);
        const rows = await query.orderBy('id').limit(listed).execute();
        return rows.map((row) => ({
          id: Number(row.id),
          email: row.email,
          kind: row.kind,
          attempts: Number(row.attempts),
          queuedAt: Number(row.queued_at),
          nextAttemptAt: Number(unsent ? row.next_attempt_at : row.sent_at),
          lastError: row.last_error ?? '',
        }));
      };
      return {
        waiting: Number(counts.waiting ?? 0),
        failing: Number(counts.failing ?? 0),
        givenUpToday: Number(counts.given_up ?? 0),
        sentToday: Number(counts.sent ?? 0),
        oldestUnsentAt: counts.oldest === null ? null : Number(counts.oldest),
        failingMails: await entries(true),
        givenUpMails: await entries(false),
      };
    },

    async retryNow(id, now) {
      const row = await db
        .selectFrom('mail_outbox')
        .select(['kind', 'token', 'sent_at', 'last_error', 'claimed_until'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return 'unknown';
      if (row.sent_at !== null && row.last_error === null) return 'sent';
      if (row.sent_at === null && Number(row.claimed_until) > now) return 'sending';
      // Given up on: only a mail that can still be composed (a confirmation needs its token,
      // forgotten when it was given up; the visitor asks again instead).
      if (row.sent_at !== null && row.kind === 'confirm' && row.token === null) {
        return 'token-gone';
      }
      // The same conditions again in the update: an instance may have claimed it meanwhile.
      const result = await db
        .updateTable('mail_outbox')
        .set({ sent_at: null, next_attempt_at: now, claimed_until: 0 })
        .where('id', '=', id)
        .where('claimed_until', '<=', now)
        .where((eb) => eb.or([eb('sent_at', 'is', null), eb('last_error', 'is not', null)]))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? 'due' : 'sending';
    },
  };
}
