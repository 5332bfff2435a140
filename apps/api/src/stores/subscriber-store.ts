import {
  normalizeEmail,
  type SubscriberSort,
  type SubscriberSource,
  type SubscriberStatus,
} from '@catlist/contracts';
import { type RawBuilder, sql } from 'kysely';
import type { DatabaseHandle } from '../db/open-database.js';
import { preparedQuery } from '../db/prepared-query.js';
import type { Executor, RemovalKind, Schema } from '../db/schema.js';
import { withinTransaction } from '../db/within-transaction.js';
import { liftSuppression, recordLeaving } from './leaving-store.js';
import { hashOwnerToken } from './owner-token.js';

/** One address on the list; times in ms since the epoch. */
export interface SubscriberRow {
  email: string;
  createdAt: number;
  source: SubscriberSource;
  /** When it was confirmed by mail; null when it joined without confirmation. */
  confirmedAt?: number | null;
}

/**
 * A position in the list: the last row of a page. Both fields in every order (the address alone
 * is unique), so one cursor format serves them all.
 */
export type PageKey = Pick<SubscriberRow, 'email' | 'createdAt'>;

export interface PageOptions {
  limit: number;
  /** Rows strictly after this position, in `sort`'s order. */
  after?: PageKey | undefined;
  /** `newest` unless told (contracts, SUBSCRIBER_SORTS). */
  sort?: SubscriberSort | undefined;
}

export interface SearchOptions extends PageOptions {
  /** Only addresses containing this text (already lower-cased); all when undefined. */
  contains?: string | undefined;
  /** Only addresses confirmed by mail, or only those that joined without; all when undefined. */
  status?: SubscriberStatus | undefined;
  /** Only addresses that came this way; all when undefined. */
  source?: SubscriberSource | undefined;
}

/** What `removeOwned` did: removed the address, found it owned by someone else, or found none. */
export type OwnedRemoval = 'removed' | 'not-owner' | 'absent';

/**
 * The list of addresses. Every address passed in is already normalised. An address has an owner:
 * the one whose `add` put it on the list, known by an owner token (docs/http-api.md, Ownership);
 * rows stored before ownership existed belong to nobody until a session claims them in the
 * migration that added owners.
 */
export interface SubscriberStore {
  /**
   * Adds the address unless it is already there (then it is left untouched, owner included).
   * With `ownerToken`, true when that token owns the address afterwards: it was added now, or it
   * was that token's already. Without one, the address belongs to nobody (an admin or a script
   * put it there). `source` says how it came (a signup unless told). A signup takes the address
   * off the suppression list: its owner chose to come back.
   */
  add(
    email: string,
    now: number,
    ownerToken?: string,
    source?: SubscriberSource,
    db?: Executor,
  ): Promise<boolean>;
  has(email: string, db?: Executor): Promise<boolean>;
  /**
   * Removes the address; false when it was not on the list. The removal is recorded (`kind`,
   * `removed` unless told; `at`, now unless told): a complaint also suppresses the address.
   */
  remove(email: string, kind?: RemovalKind, at?: number): Promise<boolean>;
  /**
   * Removes the address an admin or operator typed: its normalised spelling, or else the exact
   * string given, for a row stored under older rules that today's would refuse (a quoted local
   * part: migration 0009 leaves those as they are). The spelling removed, or undefined.
   */
  removeAsGiven(given: string, kind?: RemovalKind, at?: number): Promise<string | undefined>;
  /**
   * Removes the address only if `ownerToken` owns it: the owner leaving by themselves, recorded
   * as `unsubscribed` at `at` (now unless told), which puts the address on the suppression list.
   */
  removeOwned(email: string, ownerToken: string, db?: Executor, at?: number): Promise<OwnedRemoval>;
  count(): Promise<number>;
  /** Up to `limit` rows in list order (newest first, ties by email), after `after`. */
  page(options: PageOptions): Promise<SubscriberRow[]>;
  /**
   * A page of the addresses containing `contains` (and of `status` and `source`, when given), and
   * how many addresses match in all.
   */
  search(options: SearchOptions): Promise<{ rows: SubscriberRow[]; total: number }>;
}

/** Above this many matches a search walks the list instead of the trigram index. */
const TRIGRAM_LIMIT = 1_000;

/**
 * Kills the confirmation links issued for `email` (contract v3): an address that left the list,
 * by its owner, the admin or the command line, never comes back through an old mail.
 */
async function forgetLinks(db: Executor, email: string): Promise<void> {
  await db.deleteFrom('confirmations').where('email', '=', email).execute();
}

/** `LIKE` pattern for "contains `text`", with the wildcards in `text` escaped. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The list, stored in the `subscribers` table through Kysely (SQLite or PostgreSQL). */
export function createSubscriberStore(
  database: DatabaseHandle,
  { trigramLimit = TRIGRAM_LIMIT }: { trigramLimit?: number } = {},
): SubscriberStore {
  const { db, dialect } = database;
  /**
   * SQLite's trigram index (migration 0003) answers a search that matches few addresses at once,
   * but counting many matches through it is slower than scanning. So: the ids of the addresses
   * containing `text`, when there are at most `trigramLimit` and the index can answer; otherwise
   * null. Addresses not indexed yet (search_pending, migration 0004) are few and are checked one
   * by one (CROSS JOIN: SQLite then walks the few pending rows, never the whole list).
   */
  async function fewTrigramMatches(text: string): Promise<number[] | null> {
    // Trigrams need 3 characters; FTS5's LIKE has no ESCAPE, so wildcards take the plain path.
    if (dialect !== 'sqlite' || [...text].length < 3 || /[%_\\]/.test(text)) return null;
    const pattern = `%${text}%`;
    const { rows } = await sql<{ id: number }>`
      select id from (
        select rowid as id from subscribers_search where email like ${pattern}
        limit ${trigramLimit + 1}
      )
      union all
      select p.id from search_pending p cross join subscribers s on s.id = p.id
      where s.email like ${pattern}`.execute(db);
    return rows.length <= trigramLimit ? rows.map((row) => row.id) : null;
  }

  const insert = preparedQuery<
    'email' | 'now' | 'owner' | 'source',
    { owner_hash: string | null },
    Schema
  >(db, (param) =>
    db
      .insertInto('subscribers')
      .values({
        email: param('email'),
        created_at: param('now'),
        owner_hash: param('owner'),
        source: param('source'),
      })
      // Rewrite the row when the address is already there (keeping its signup time) rather than
      // doing nothing: a new and a known address then both cost a write and a commit, so the
      // answer's timing says less about who is subscribed (review: 3.2 vs 2.3 ms before).
      .onConflict((conflict) =>
        conflict
          .column('email')
          .doUpdateSet({ created_at: (eb) => eb.ref('subscribers.created_at') }),
      )
      // The owner afterwards: ours when the row is new (or was ours already), else untouched.
      .returning('owner_hash'),
  );
  const deleteOwned = preparedQuery<'email' | 'owner', never, Schema>(db, (param) =>
    db
      .deleteFrom('subscribers')
      .where('email', '=', param('email'))
      .where((eb) =>
        eb.or([
          eb('owner_hash', '=', param('owner')),
          // Owners a confirmation by email added (confirmation-store.ts).
          eb.exists(
            eb
              .selectFrom('subscriber_owners')
              .select('subscriber_owners.email')
              .where('subscriber_owners.email', '=', param('email'))
              .where('subscriber_owners.owner_hash', '=', param('owner')),
          ),
        ]),
      ),
  );
  const select = preparedQuery<'email', { email: string }, Schema>(db, (param) =>
    db.selectFrom('subscribers').select('email').where('email', '=', param('email')),
  );
  const selectCount = preparedQuery<never, { n: number | string | null }, Schema>(db, () =>
    db.selectFrom('subscriber_count').select((eb) => eb.fn.sum<number | string>('n').as('n')),
  );

  // Whether an address is on the list, for GET /api/session; shared with every other store over
  // this database (see ReadCaches).
  const membership = database.caches.membership;

  const store: SubscriberStore = {
    async add(email, now, ownerToken, source = 'signup', executor) {
      const owner = ownerToken === undefined ? null : hashOwnerToken(ownerToken);
      return membership.dropAround(email, async () => {
        const [row] = (await insert({ email, now, owner, source }, executor)).rows;
        if (source === 'signup') await liftSuppression(executor ?? db, email);
        return owner !== null && row?.owner_hash === owner;
      });
    },

    async has(email, executor) {
      const cached = membership.get(email);
      if (cached !== undefined) return cached;
      const found = (await select({ email }, executor)).rows.length > 0;
      membership.put(email, found);
      return found;
    },

    async remove(email, kind = 'removed', at = Date.now()) {
      return membership.dropAround(email, () =>
        withinTransaction(db, async (trx) => {
          const result = await trx
            .deleteFrom('subscribers')
            .where('email', '=', email)
            .executeTakeFirst();
          if (result.numDeletedRows === 0n) return false;
          await forgetLinks(trx, email);
          await recordLeaving(trx, email, at, kind);
          return true;
        }),
      );
    },

    async removeAsGiven(given, kind, at) {
      const email = normalizeEmail(given);
      if (await store.remove(email, kind, at)) return email;
      if (email !== given && (await store.remove(given, kind, at))) return given;
      return undefined;
    },

    async removeOwned(email, ownerToken, executor = db, at = Date.now()) {
      const owner = hashOwnerToken(ownerToken);
      const removed = await membership.dropAround(email, () =>
        withinTransaction(executor, async (trx) => {
          const result = await deleteOwned({ email, owner }, trx);
          const gone = Number(result.numAffectedRows ?? 0) > 0;
          if (gone) {
            await forgetLinks(trx, email);
            await recordLeaving(trx, email, at, 'unsubscribed');
          }
          return gone;
        }),
      );
      if (removed) return 'removed';
      return (await store.has(email, executor)) ? 'not-owner' : 'absent';
    },

    async count() {
      const [row] = (await selectCount({})).rows;
      return Number(row?.n ?? 0);
    },

    page: (options) => rowsWhere(options),

    async search({ contains, status, source, ...options }) {
      const filters: RawBuilder<boolean>[] = [];
      if (status !== undefined) {
        filters.push(
          status === 'confirmed'
            ? sql<boolean>`confirmed_at is not null`
            : sql<boolean>`confirmed_at is null`,
        );
      }
      if (source !== undefined) filters.push(sql<boolean>`source = ${source}`);
      // Decided once per search: the page and the count take the same path.
      const few = contains ? await fewTrigramMatches(contains) : null;
      if (contains) {
        filters.push(
          few !== null
            ? // Few matches: fetch those rows by id, then sort them.
              few.length > 0
              ? sql<boolean>`id in (${sql.join(few)})`
              : sql<boolean>`0 = 1`
            : // Many matches (or no index): walk the list in order; matches come soon.
              sql<boolean>`email like ${containsPattern(contains)} escape '\\'`,
        );
      }
      const filter =
        filters.length > 0 ? sql<boolean>`${sql.join(filters, sql` and `)}` : undefined;
      const rows = await rowsWhere(options, filter);
      if (filter === undefined) return { rows, total: await store.count() };
      // The trigram ids are the whole answer when nothing else narrows them.
      if (few !== null && filters.length === 1) return { rows, total: few.length };
      const { n } = await db
        .selectFrom('subscribers')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
        .where(filter)
        .executeTakeFirstOrThrow();
      return { rows, total: Number(n) };
    },
  };

  /** A page in list order, after `after`, of the rows that pass `filter`. */
  async function rowsWhere(
    { limit, after, sort = 'newest' }: PageOptions,
    filter?: RawBuilder<boolean>,
  ): Promise<SubscriberRow[]> {
    let query = db
      .selectFrom('subscribers')
      .select(['email', 'created_at', 'source', 'confirmed_at']);
    if (filter) query = query.where(filter);
    if (sort === 'newest' || sort === 'oldest') {
      // Oldest first is the exact reverse of newest first (ties by address Z to A), so both walk
      // the (created_at desc, email) index, one forwards and one backwards.
      const newest = sort === 'newest';
      if (after) {
        // Written as a range on the index's first column plus a tie-break, so both SQLite and
        // PostgreSQL seek straight to the position instead of scanning from the top.
        query = query
          .where('created_at', newest ? '<=' : '>=', after.createdAt)
          .where((eb) =>
            eb.or([
              eb('created_at', newest ? '<' : '>', after.createdAt),
              eb('email', newest ? '>' : '<', after.email),
            ]),
          );
      }
      query = query
        .orderBy('created_at', newest ? 'desc' : 'asc')
        .orderBy('email', newest ? 'asc' : 'desc');
    } else {
      // By address: the primary key's index, either way.
      const ascending = sort === 'email';
      if (after) query = query.where('email', ascending ? '>' : '<', after.email);
      query = query.orderBy('email', ascending ? 'asc' : 'desc');
    }
    const rows = await query.limit(limit).execute();
    return rows.map((row) => ({
      email: row.email,
      createdAt: Number(row.created_at),
      source: row.source,
      confirmedAt: row.confirmed_at === null ? null : Number(row.confirmed_at),
    }));
  }

  return store;
}
