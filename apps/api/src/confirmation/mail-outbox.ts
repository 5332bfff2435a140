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
}

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
  };
}
