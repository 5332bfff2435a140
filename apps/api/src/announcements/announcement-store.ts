import { type Selectable, sql } from 'kysely';
import type { DatabaseHandle } from '../db/open-database.js';
import type {
  AnnouncementStatusColumn,
  AnnouncementsTable,
  Executor,
  RecipientState,
} from '../db/schema.js';

// Announcements and their outbox (migration 0015). Sending is in three parts, each safe to run
// on several instances at once and to stop at any point: queueing (recipients copied from the
// list in keyset batches, a cursor kept on the announcement), claiming (due recipients taken
// under a lease, at the site's pace), and recording (each mail's outcome, with the counts).

/** One language's version, as stored (JSON in `announcements.messages`). */
export interface StoredMessage {
  language: string;
  subject: string;
  body: string;
}

/** An announcement as stored, times in ms. */
export interface AnnouncementRecord {
  id: number;
  status: AnnouncementStatusColumn;
  messages: StoredMessage[];
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  queueingDone: boolean;
  recipients: number;
  sent: number;
  failed: number;
  skipped: number;
  unsubscribed: number;
}

/** A recipient's mail taken to be sent by this instance. */
export interface AnnouncementMail {
  announcementId: number;
  email: string;
  /** The language stored with the subscriber's signup; null when unknown. */
  language: string | null;
  /** Tries so far, this one included. */
  attempts: number;
}

/** The site's pace of announcement mails (ANNOUNCE_RATE, ANNOUNCE_HOURLY_CAP). */
export interface AnnouncePace {
  /** Mails per second; 0: unpaced. */
  rate: number;
  /** Mails per sliding hour at most; undefined: no cap. */
  hourlyCap?: number | undefined;
}

/** What a state change found: the announcement afterwards, none, or one in another state. */
export type Transition = AnnouncementRecord | 'absent' | 'state';

export interface AnnouncementStore {
  create(messages: StoredMessage[], now: number): Promise<AnnouncementRecord>;
  get(id: number): Promise<AnnouncementRecord | undefined>;
  /** Newest first, `limit` of them, older than `before` when given. */
  list(limit: number, before?: number): Promise<AnnouncementRecord[]>;
  /** A draft's new text. */
  update(id: number, messages: StoredMessage[], now: number): Promise<Transition>;
  /** Throws a draft away. */
  remove(id: number): Promise<'removed' | 'absent' | 'state'>;
  /**
   * Moves an announcement in one of `from` to `to` (send, pause, resume, cancel). Cancelling drops
   * every recipient still queued; a mail on its way finishes and counts as sent or failed.
   */
  transition(
    id: number,
    from: readonly AnnouncementStatusColumn[],
    to: AnnouncementStatusColumn,
    now: number,
  ): Promise<Transition>;
  /**
   * Queues the next batch of up to `batch` recipients of one announcement being sent, in one
   * transaction that also moves its cursor; false when no announcement has any left to queue.
   */
  queueBatch(batch: number): Promise<boolean>;
  /**
   * Takes up to `limit` due recipients of announcements being sent, as many as the pace allows
   * now, and holds them until `leaseUntil`. Recipients no longer on the list (or suppressed) are
   * marked skipped on the way and take no slot.
   */
  claim(
    now: number,
    leaseUntil: number,
    limit: number,
    pace: AnnouncePace,
  ): Promise<AnnouncementMail[]>;
  /** The SMTP server took these mails. */
  sent(mails: readonly AnnouncementMail[]): Promise<void>;
  retryLater(mail: AnnouncementMail, nextAttemptAt: number, error: string): Promise<void>;
  giveUp(mail: AnnouncementMail, error: string): Promise<void>;
  /** Marks `sent` every announcement whose recipients are all queued and done with. */
  finishDone(now: number): Promise<void>;
}

const HOUR_MS = 60 * 60 * 1000;
/** Unpaced claims take what is due; a paced claim at most a second's worth at once. */
const BURST_MS = 1000;

type Row = Omit<Selectable<AnnouncementsTable>, 'queue_cursor'>;

const COLUMNS = [
  'id',
  'status',
  'messages',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
  'queueing_done',
  'recipients',
  'sent',
  'failed',
  'skipped',
  'unsubscribed',
] as const;

const orNull = (value: number | string | null) => (value === null ? null : Number(value));

function record(row: Row): AnnouncementRecord {
  return {
    id: Number(row.id),
    status: row.status,
    messages: JSON.parse(row.messages) as StoredMessage[],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    startedAt: orNull(row.started_at),
    finishedAt: orNull(row.finished_at),
    queueingDone: Number(row.queueing_done) === 1,
    recipients: Number(row.recipients),
    sent: Number(row.sent),
    failed: Number(row.failed),
    skipped: Number(row.skipped),
    unsubscribed: Number(row.unsubscribed),
  };
}

/** Mails grouped by announcement (a claim's are nearly always of one). */
function byAnnouncement(mails: readonly { announcementId: number; email: string }[]) {
  const groups = new Map<number, string[]>();
  for (const mail of mails) {
    const group = groups.get(mail.announcementId);
    if (group) group.push(mail.email);
    else groups.set(mail.announcementId, [mail.email]);
  }
  return groups;
}

export function createAnnouncementStore(database: DatabaseHandle): AnnouncementStore {
  const { db, dialect } = database;
  const postgres = dialect === 'postgres';
  // Instances claiming together each take other rows (PostgreSQL); SQLite has one writer.
  const skipLocked = postgres ? sql`for update of o skip locked` : sql``;
  const forUpdate = postgres ? sql`for update` : sql``;
  // Every transaction that changes an announcement and its recipients locks the announcement's
  // row first, then recipients' rows: one order, so no deadlock (PostgreSQL). A claim locks the
  // announcements it takes from too: a pause or cancel waits for the claims under way to commit,
  // so that once it answered no claim made before it is still to come.
  const rowLock = postgres ? sql`for update` : sql``;
  /** Locks announcement `id`'s row for the rest of the transaction (PostgreSQL). */
  const lockAnnouncement = async (executor: Executor, id: number) => {
    if (postgres)
      await sql`select id from announcements where id = ${id} for update`.execute(executor);
  };

  const byId = (executor: Executor, id: number) =>
    executor.selectFrom('announcements').select(COLUMNS).where('id', '=', id).executeTakeFirst();

  /** Adds `delta` to one count of announcement `id`. */
  const bump = (
    executor: Executor,
    id: number,
    column: 'sent' | 'failed' | 'skipped',
    delta: number,
  ) =>
    delta === 0
      ? Promise.resolve()
      : executor
          .updateTable('announcements')
          .set((eb) => ({ [column]: eb(column, '+', delta) }))
          .where('id', '=', id)
          .execute()
          .then(() => undefined);

  /** Sets `state` on the given recipients still in `from`; how many changed. */
  async function mark(
    executor: Executor,
    id: number,
    emails: readonly string[],
    from: readonly RecipientState[],
    state: RecipientState,
    error: string | null,
  ): Promise<number> {
    const result = await executor
      .updateTable('announcement_outbox')
      .set({ state, claimed_until: 0, last_error: error })
      .where('announcement_id', '=', id)
      .where('email', 'in', emails)
      .where('state', 'in', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  return {
    async create(messages, now) {
      const row = await db
        .insertInto('announcements')
        .values({
          status: 'draft',
          messages: JSON.stringify(messages),
          created_at: now,
          updated_at: now,
          started_at: null,
          finished_at: null,
          queue_cursor: null,
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return record(row);
    },

    async get(id) {
      const row = await byId(db, id);
      return row && record(row);
    },

    async list(limit, before) {
      let query = db.selectFrom('announcements').select(COLUMNS);
      if (before !== undefined) query = query.where('id', '<', before);
      const rows = await query.orderBy('id', 'desc').limit(limit).execute();
      return rows.map(record);
    },

    async update(id, messages, now) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('announcements')
          .set({ messages: JSON.stringify(messages), updated_at: now })
          .where('id', '=', id)
          .where('status', '=', 'draft')
          .returning(COLUMNS)
          .executeTakeFirst();
        if (row) return record(row);
        return (await byId(trx, id)) ? 'state' : 'absent';
      });
    },

    async remove(id) {
      return db.transaction().execute(async (trx) => {
        const result = await trx
          .deleteFrom('announcements')
          .where('id', '=', id)
          .where('status', '=', 'draft')
          .executeTakeFirst();
        if (result.numDeletedRows > 0n) return 'removed';
        return (await byId(trx, id)) ? 'state' : 'absent';
      });
    },

    async transition(id, from, to, now) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('announcements')
          .set({
            status: to,
            updated_at: now,
            ...(to === 'sending' && from.includes('draft') ? { started_at: now } : {}),
            ...(to === 'cancelled' ? { finished_at: now } : {}),
          })
          .where('id', '=', id)
          .where('status', 'in', from)
          .returning(COLUMNS)
          .executeTakeFirst();
        if (!row) return (await byId(trx, id)) ? 'state' : 'absent';
        if (to === 'cancelled') {
          await trx
            .updateTable('announcement_outbox')
            .set({ state: 'dropped' })
            .where('announcement_id', '=', id)
            .where('state', '=', 'queued')
            .execute();
        }
        return record(row);
      });
    },

    async queueBatch(batch) {
      return db.transaction().execute(async (trx) => {
        const next = (
          await sql<{ id: number | string }>`
            select id from announcements
            where status in ('sending', 'paused') and queueing_done = 0
            order by id limit 1`.execute(trx)
        ).rows[0];
        if (!next) return false;
        const id = Number(next.id);
        // One instance queues an announcement at a time (an advisory lock, not the row's: claims
        // share-lock the row, and queueing must not wait for them); the others leave it be.
        if (postgres) {
          const { rows } = await sql<{ locked: boolean }>`
            select pg_try_advisory_xact_lock(hashtext(${`announcement-queue:${id}`})) as locked`.execute(
            trx,
          );
          if (!rows[0]?.locked) return false;
        }
        // Read after the lock: another instance may have moved the cursor just before.
        await lockAnnouncement(trx, id);
        const target = await trx
          .selectFrom('announcements')
          .select(['queue_cursor', 'queueing_done', 'status'])
          .where('id', '=', id)
          .executeTakeFirst();
        if (!target || Number(target.queueing_done) === 1) return true;
        const after = target.queue_cursor ?? '';
        // The batch's last address (keyset over the list's email index), or none: the rest fits.
        const bound = (
          await sql<{ email: string }>`
            select email from subscribers
            where email > ${after} and confirmed_at is not null
            order by email limit 1 offset ${batch - 1}`.execute(trx)
        ).rows[0]?.email;
        const upTo = bound === undefined ? sql`` : sql`and email <= ${bound}`;
        // One statement per batch; the primary key keeps each recipient once whatever happens.
        const inserted = await sql`
          insert into announcement_outbox (announcement_id, email, language)
          select ${id}, email, language from subscribers
          where email > ${after} ${upTo} and confirmed_at is not null
          on conflict do nothing`.execute(trx);
        await trx
          .updateTable('announcements')
          .set((eb) => ({
            queue_cursor: bound ?? null,
            queueing_done: bound === undefined ? 1 : 0,
            recipients: eb('recipients', '+', Number(inserted.numAffectedRows ?? 0n)),
          }))
          .where('id', '=', id)
          .execute();
        return true;
      });
    },

    async claim(now, leaseUntil, limit, pace) {
      return db.transaction().execute(async (trx) => {
        let allowed = limit;
        let start = now;
        const interval = pace.rate > 0 ? 1000 / pace.rate : 0;
        if (interval > 0 || pace.hourlyCap !== undefined) {
          // The pace's row, locked: instances claim one after another, each from where the
          // last left the pace.
          const paceRow = (
            await sql<{ next_at: number | string }>`
              select next_at from announcement_pace where id = 1 ${forUpdate}`.execute(trx)
          ).rows[0];
          if (interval > 0) {
            start = Math.max(Number(paceRow?.next_at ?? 0), now - BURST_MS);
            allowed = Math.min(allowed, Math.floor((now - start) / interval));
          }
          if (pace.hourlyCap !== undefined) {
            const { n } = await trx
              .selectFrom('announcement_outbox')
              .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
              .where('paced_at', '>', now - HOUR_MS)
              .executeTakeFirstOrThrow();
            allowed = Math.min(allowed, pace.hourlyCap - Number(n));
          }
          if (allowed <= 0) return [];
        }
        const { rows } = await sql<{
          announcement_id: number | string;
          email: string;
          language: string | null;
          attempts: number | string;
          member: number | string | boolean;
        }>`
          select o.announcement_id, o.email, o.language, o.attempts,
            case when exists (select 1 from subscribers s where s.email = o.email)
              and not exists (select 1 from suppressions x where x.email = o.email)
            then 1 else 0 end as member
          from announcement_outbox o
          where o.state = 'queued' and o.next_attempt_at <= ${now} and o.claimed_until <= ${now}
            and o.announcement_id in (
              select id from announcements where status = 'sending' ${rowLock})
          order by o.announcement_id, o.email
          limit ${allowed} ${skipLocked}`.execute(trx);
        const mails: AnnouncementMail[] = [];
        const gone: AnnouncementMail[] = [];
        for (const row of rows) {
          const mail = {
            announcementId: Number(row.announcement_id),
            email: row.email,
            language: row.language,
            attempts: Number(row.attempts) + 1,
          };
          (Number(row.member) === 1 || row.member === true ? mails : gone).push(mail);
        }
        for (const [id, emails] of byAnnouncement(gone)) {
          await bump(trx, id, 'skipped', await mark(trx, id, emails, ['queued'], 'skipped', null));
        }
        for (const [id, emails] of byAnnouncement(mails)) {
          await trx
            .updateTable('announcement_outbox')
            .set((eb) => ({
              claimed_until: leaseUntil,
              attempts: eb('attempts', '+', 1),
              paced_at: now,
            }))
            .where('announcement_id', '=', id)
            .where('email', 'in', emails)
            .execute();
        }
        if (interval > 0 && mails.length > 0) {
          await trx
            .updateTable('announcement_pace')
            .set({ next_at: Math.ceil(start + mails.length * interval) })
            .where('id', '=', 1)
            .execute();
        }
        return mails;
      });
    },

    async sent(mails) {
      if (mails.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const [id, emails] of byAnnouncement(mails)) {
          await lockAnnouncement(trx, id);
          // A mail that left after its announcement was cancelled went all the same: sent.
          await bump(
            trx,
            id,
            'sent',
            await mark(trx, id, emails, ['queued', 'dropped'], 'sent', null),
          );
        }
      });
    },

    async retryLater(mail, nextAttemptAt, error) {
      // Only while still queued: a cancelled announcement's recipient stays dropped.
      await db
        .updateTable('announcement_outbox')
        .set({ next_attempt_at: nextAttemptAt, claimed_until: 0, last_error: error.slice(0, 500) })
        .where('announcement_id', '=', mail.announcementId)
        .where('email', '=', mail.email)
        .where('state', '=', 'queued')
        .execute();
    },

    async giveUp(mail, error) {
      await db.transaction().execute(async (trx) => {
        await lockAnnouncement(trx, mail.announcementId);
        const changed = await mark(
          trx,
          mail.announcementId,
          [mail.email],
          ['queued', 'dropped'],
          'failed',
          error.slice(0, 500),
        );
        await bump(trx, mail.announcementId, 'failed', changed);
      });
    },

    async finishDone(now) {
      await sql`update announcements set status = 'sent', finished_at = ${now}, updated_at = ${now}
        where status = 'sending' and queueing_done = 1
          and not exists (select 1 from announcement_outbox o
            where o.announcement_id = announcements.id and o.state = 'queued')`.execute(db);
    },
  };
}

/**
 * Counts that `email` left the list through announcement `id`'s link: called in the transaction
 * that took the address off, so once per leaving; only for a recipient the announcement reached
 * (the id in the link is not signed, the address is).
 */
export async function countAnnouncementUnsubscribe(
  executor: Executor,
  id: number,
  email: string,
): Promise<void> {
  await sql`update announcements set unsubscribed = unsubscribed + 1
    where id = ${id} and exists (select 1 from announcement_outbox o
      where o.announcement_id = ${id} and o.email = ${email} and o.state = 'sent')`.execute(
    executor,
  );
}
