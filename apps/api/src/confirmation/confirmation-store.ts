import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { countAnnouncementUnsubscribe } from '../announcements/announcement-store.js';
import type { DatabaseHandle } from '../db/open-database.js';
import type { Executor } from '../db/schema.js';
import { withinTransaction } from '../db/within-transaction.js';
import { liftSuppression, recordLeaving } from '../stores/leaving-store.js';
import { hashOwnerToken } from '../stores/owner-token.js';

/** A confirmation link works for 48 hours (docs/http-api.md, Confirmation by email). */
export const CONFIRMATION_VALID_MS = 48 * 60 * 60 * 1000;
/** At most this many mails go to one address per `MAIL_CAP_WINDOW_MS`, whoever asks. */
export const MAILS_PER_ADDRESS = 3;
export const MAIL_CAP_WINDOW_MS = 24 * 60 * 60 * 1000;
const TOKEN_BYTES = 32; // 256 bits; the contract asks for at least 128.

/** What a mail in the outbox says: a confirmation link, or "you are on the list already". */
export type MailKind = 'confirm' | 'already-subscribed';

/**
 * Pending requests, their mails, and the owners a confirmation adds. Addresses passed in are
 * normalised already.
 */
export interface ConfirmationStore {
  /**
   * Queues a mail to `email`, and for `confirm` a pending request that `ownerToken`'s session
   * made, in one transaction; nothing at all when the address had its share of mails in the last
   * 24 hours. True when queued. The mail goes in `language` (the signup's), when the site still
   * enables it by the time it is sent.
   */
  request(
    email: string,
    kind: MailKind,
    ownerToken: string,
    now: number,
    language: string,
    db?: Executor,
  ): Promise<boolean>;
  /**
   * Opens the link of `token`: the first time, the address joins the list (unless it is there)
   * with one owner, the browser that opened the link; that is the session that asked when
   * `browserOwnerToken` is the token it asked with, else `newOwnerToken`. Afterwards the link
   * makes no owner (`owner: null`). Null for an unknown or expired link, or one issued before
   * the address left the list.
   */
  confirm(
    token: string,
    tokens: { browserOwnerToken: string | undefined; newOwnerToken: string },
    now: number,
    db?: Executor,
  ): Promise<{ email: string; owner: string | null } | null>;
  /** Withdraws the still-pending requests that `ownerToken`'s session made for `email`. */
  cancel(email: string, ownerToken: string, db?: Executor): Promise<void>;
  /**
   * Takes `email` off the list (with its owners) and drops its pending requests; the removal is
   * recorded at `now`, and the address goes onto the suppression list.
   */
  unsubscribe(email: string, now: number, announcementId?: number): Promise<void>;
  /** Whether `email` is on the list and `ownerToken` is one of its owners. */
  owns(email: string, ownerToken: string, db?: Executor): Promise<boolean>;
  /** Addresses with a pending request, valid and not confirmed, that are not on the list. */
  pendingCount(now: number): Promise<number>;
  /** Drops expired requests and sent mails past the cap's window; how many rows went. */
  purgeExpired(now: number): Promise<number>;
}

/** The SHA-256 of a confirmation token: all the database keeps of it. */
export function hashConfirmationToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The confirmation store over `database`'s tables (SQLite or PostgreSQL). */
export function createConfirmationStore(database: DatabaseHandle): ConfirmationStore {
  const { db, dialect } = database;
  const membership = database.caches.membership;

  return {
    async request(email, kind, ownerToken, now, language, executor = db) {
      const token = kind === 'confirm' ? randomBytes(TOKEN_BYTES).toString('base64url') : null;
      return withinTransaction(executor, async (trx) => {
        // Several instances on PostgreSQL: one request per address at a time, or two could both
        // count two mails and both add a third. On SQLite transactions run one at a time.
        if (dialect === 'postgres') {
          await sql`select pg_advisory_xact_lock(hashtext(${`mail:${email}`}))`.execute(trx);
        }
        const { n } = await trx
          .selectFrom('mail_outbox')
          .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
          .where('email', '=', email)
          .where('queued_at', '>', now - MAIL_CAP_WINDOW_MS)
          .executeTakeFirstOrThrow();
        if (Number(n) >= MAILS_PER_ADDRESS) return false;
        if (token !== null) {
          await trx
            .insertInto('confirmations')
            .values({
              token_hash: hashConfirmationToken(token),
              email,
              owner_hash: hashOwnerToken(ownerToken),
              created_at: now,
              expires_at: now + CONFIRMATION_VALID_MS,
            })
            .execute();
        }
        await trx
          .insertInto('mail_outbox')
          .values({ email, kind, token, language, queued_at: now, next_attempt_at: now })
          .execute();
        return true;
      });
    },

    async confirm(token, { browserOwnerToken, newOwnerToken }, now, executor = db) {
      const tokenHash = hashConfirmationToken(token);
      return withinTransaction(executor, async (trx) => {
        // Claimed by one statement, so that of two openings at once exactly one makes an owner.
        const claimed = await trx
          .updateTable('confirmations')
          .set({ confirmed_at: now })
          .where('token_hash', '=', tokenHash)
          .where('expires_at', '>', now)
          .where('confirmed_at', 'is', null)
          .returning(['email', 'owner_hash'])
          .executeTakeFirst();
        if (!claimed) {
          // Used already (a second browser, a link scanner): the address is on the list, and
          // this opening makes nobody its owner. Its row goes when the address leaves the list.
          const used = await trx
            .selectFrom('confirmations')
            .select('email')
            .where('token_hash', '=', tokenHash)
            .where('expires_at', '>', now)
            .executeTakeFirst();
          return used ? { email: used.email, owner: null } : null;
        }
        const { email } = claimed;
        // Opening the link proves control of the mailbox; asking does not (anyone can ask for
        // anyone's address). The asker owns it only when it is the browser that opened the link.
        const asker =
          browserOwnerToken !== undefined &&
          claimed.owner_hash === hashOwnerToken(browserOwnerToken);
        const owner = asker ? browserOwnerToken : newOwnerToken;
        await membership.dropAround(email, async () => {
          // An address already there (added without confirmation, or confirmed through another
          // request) keeps its row; it counts as confirmed from now on if it did not before.
          await trx
            .insertInto('subscribers')
            .values(({ selectFrom }) => ({
              email,
              created_at: now,
              owner_hash: null,
              confirmed_at: now,
              // The language its confirmation mail went in: announcements go in it too (0015).
              language: selectFrom('mail_outbox')
                .select('language')
                .where('email', '=', email)
                .where('language', 'is not', null)
                .orderBy('id', 'desc')
                .limit(1),
            }))
            .onConflict((conflict) =>
              conflict.column('email').doUpdateSet({
                confirmed_at: (eb) =>
                  eb.fn.coalesce('subscribers.confirmed_at', 'excluded.confirmed_at'),
                language: (eb) => eb.fn.coalesce('excluded.language', 'subscribers.language'),
              }),
            )
            .execute();
          // The owner confirmed: they chose to come back, whatever the suppression list says.
          await liftSuppression(trx, email);
          await trx
            .insertInto('subscriber_owners')
            .values({ email, owner_hash: hashOwnerToken(owner) })
            .onConflict((conflict) => conflict.doNothing())
            .execute();
        });
        return { email, owner };
      });
    },

    async cancel(email, ownerToken, executor = db) {
      await executor
        .deleteFrom('confirmations')
        .where('email', '=', email)
        .where('owner_hash', '=', hashOwnerToken(ownerToken))
        .where('confirmed_at', 'is', null)
        .execute();
    },

    async unsubscribe(email, now, announcementId) {
      await membership.dropAround(email, () =>
        db.transaction().execute(async (trx) => {
          const result = await trx
            .deleteFrom('subscribers')
            .where('email', '=', email)
            .executeTakeFirst();
          await trx.deleteFrom('confirmations').where('email', '=', email).execute();
          if (result.numDeletedRows > 0n) {
            await recordLeaving(trx, email, now, 'unsubscribed');
            if (announcementId !== undefined) {
              await countAnnouncementUnsubscribe(trx, announcementId, email);
            }
          }
        }),
      );
    },

    async owns(email, ownerToken, executor = db) {
      const owner = hashOwnerToken(ownerToken);
      const { rows } = await sql<{ one: number }>`
        select 1 as one from subscribers where email = ${email} and owner_hash = ${owner}
        union all
        select 1 as one from subscriber_owners where email = ${email} and owner_hash = ${owner}
      `.execute(executor);
      return rows.length > 0;
    },

    async pendingCount(now) {
      const { n } = await db
        .selectFrom('confirmations as c')
        .select((eb) => eb.fn.count<number | string | bigint>('c.email').distinct().as('n'))
        .where('c.confirmed_at', 'is', null)
        .where('c.expires_at', '>', now)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('subscribers as s')
                .select('s.email')
                .whereRef('s.email', '=', 'c.email'),
            ),
          ),
        )
        .executeTakeFirstOrThrow();
      return Number(n);
    },

    async purgeExpired(now) {
      return db.transaction().execute(async (trx) => {
        const requests = await trx
          .deleteFrom('confirmations')
          .where('expires_at', '<=', now)
          .executeTakeFirst();
        const mails = await trx
          .deleteFrom('mail_outbox')
          .where('sent_at', 'is not', null)
          .where('queued_at', '<=', now - MAIL_CAP_WINDOW_MS)
          .executeTakeFirst();
        return Number(requests.numDeletedRows) + Number(mails.numDeletedRows);
      });
    },
  };
}
