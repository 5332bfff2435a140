import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DatabaseHandle } from '../db/open-database.js';
import type { Schema } from '../db/schema.js';
import type { ImportLine, RefusedLine } from './address-csv.js';

/** What an import does (or would do) to the list. */
export interface ImportCounts {
  /** Addresses put on the list. */
  added: number;
  /** Lines whose address was on the list already, or repeats one earlier in the file. */
  alreadyThere: number;
  /** Lines without an acceptable address. */
  invalid: number;
  /**
   * Addresses skipped because they are on the suppression list (they left by themselves or as a
   * complaint); 0 when the commit included them.
   */
  suppressed: number;
}

/** A staged import: its id, and what committing it would do as of now. */
export interface StagedImport extends ImportCounts {
  id: string;
}

/**
 * Imports in two steps, so that a large file never sits in memory and a failure imports nothing:
 * `stage` streams the file's addresses into the `import_rows` table in batches (out of the list),
 * then `commit` moves them onto the list in one transaction (one INSERT ... SELECT on SQLite, a
 * few in a transaction on PostgreSQL); `discard` drops them.
 */
export interface ImportStore {
  /**
   * Stages the addresses of `lines`; `onInvalid` hears of every refused line, in order. If
   * reading `lines` fails, nothing stays staged and the error is thrown on.
   */
  stage(
    lines: AsyncIterable<ImportLine>,
    now: number,
    onInvalid: (line: RefusedLine) => void,
  ): Promise<StagedImport>;
  /**
   * Puts a staged import on the list (as `source = 'import'`) and forgets it; null if it is not
   * staged (unknown, committed or discarded already, being committed by another call, or staged
   * before `notBefore`). Of two calls at once for one import, exactly one commits it.
   */
  commit(
    id: string,
    notBefore: number,
    options?: { includeSuppressed?: boolean },
  ): Promise<ImportCounts | null>;
  /** Forgets a staged import (not one being committed); false if there is none. */
  discard(id: string): Promise<boolean>;
  /**
   * Forgets the imports staged before `time` (previews nobody confirmed, a command-line import
   * that was killed), and the commits claimed before it that never finished.
   */
  discardStagedBefore(time: number): Promise<number>;
}

/** A staged import nobody confirmed is forgotten after this long (and cannot be confirmed). */
export const STAGED_IMPORT_TTL_MS = 60 * 60 * 1000;

/** Addresses per INSERT while staging: 3 values each, under both backends' limits (32,766 on
 * SQLite, 65,535 on PostgreSQL). */
const STAGE_BATCH = 5000;
/** Addresses per INSERT when a PostgreSQL commit moves them onto the list. */
const COMMIT_SLICE = 10_000;

/** Staged imports over the list's database. */
export function createImportStore(database: DatabaseHandle): ImportStore {
  const { db, dialect } = database;

  async function counts(id: string): Promise<StagedImport | null> {
    const staged = await db
      .selectFrom('imports')
      .select(['valid_rows', 'invalid_rows'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!staged) return null;
    const { distinct, existing, suppressed } = await db
      .selectFrom('import_rows as r')
      .leftJoin('subscribers as s', 's.email', 'r.email')
      .leftJoin('suppressions as x', 'x.email', 'r.email')
      .select((eb) => [
        eb.fn.countAll<number | string>().as('distinct'),
        eb.fn.count<number | string>('s.email').as('existing'),
        // On the suppression list and not on the list (a signup lifts it, so both is rare).
        eb.fn
          .sum<number | string | null>(
            sql`case when s.email is null and x.email is not null then 1 else 0 end`,
          )
          .as('suppressed'),
      ])
      .where('r.import_id', '=', id)
      .executeTakeFirstOrThrow();
    const skipped = Number(suppressed ?? 0);
    const added = Number(distinct) - Number(existing) - skipped;
    return {
      id,
      added,
      alreadyThere: Number(staged.valid_rows) - added - skipped,
      invalid: Number(staged.invalid_rows),
      suppressed: skipped,
    };
  }

  /** The staged rows of `id` with addresses in (after, upTo], as an INSERT's source. */
  const slice = (
    trx: Kysely<Schema>,
    id: string,
    after: string | undefined,
    upTo: string | undefined,
    includeSuppressed: boolean,
  ) =>
    trx
      .insertInto('subscribers')
      .columns(['email', 'created_at', 'source'])
      .expression((eb) => {
        let rows = eb
          .selectFrom('import_rows')
          .select(['email', 'created_at', sql<'import'>`'import'`.as('source')])
          .where('import_id', '=', id);
        if (after !== undefined) rows = rows.where('email', '>', after);
        if (upTo !== undefined) rows = rows.where('email', '<=', upTo);
        if (!includeSuppressed) {
          rows = rows.where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('suppressions')
                  .select('suppressions.email')
                  .whereRef('suppressions.email', '=', 'import_rows.email'),
              ),
            ),
          );
        }
        return rows;
      })
      // Addresses already there are left as they are, signup time and source included.
      .onConflict((conflict) => conflict.column('email').doNothing());

  /**
   * Inserts the staged rows of `id` into the list through `trx` (on PostgreSQL, the caller's
   * transaction: all or none); resolves with how many were new.
   */
  async function moveOntoList(
    id: string,
    trx: Kysely<Schema>,
    includeSuppressed: boolean,
  ): Promise<number> {
    if (dialect === 'sqlite') {
      // One statement, one unit of the group commit: SQLite has no statement timeout to stay
      // under (it runs on the event loop, though: a very large import holds it while it runs).
      const result = await slice(
        trx,
        id,
        undefined,
        undefined,
        includeSuppressed,
      ).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    // PostgreSQL: several statements, each inserting a slice of the rows in address order, so
    // that no statement runs into the statement timeout on a large file (the count trigger runs
    // once per row).
    {
      let added = 0;
      let after: string | undefined;
      for (;;) {
        let bound = trx
          .selectFrom('import_rows')
          .select('email')
          .where('import_id', '=', id)
          .orderBy('email')
          .offset(COMMIT_SLICE - 1)
          .limit(1);
        if (after !== undefined) bound = bound.where('email', '>', after);
        const upTo = (await bound.executeTakeFirst())?.email;
        const result = await slice(trx, id, after, upTo, includeSuppressed).executeTakeFirst();
        added += Number(result.numInsertedOrUpdatedRows ?? 0n);
        if (upTo === undefined) return added;
        after = upTo;
      }
    }
  }

  /** Staged addresses of `id` on the suppression list and not on the list. */
  async function suppressedNotListed(trx: Kysely<Schema>, id: string): Promise<number> {
    const { n } = await trx
      .selectFrom('import_rows as r')
      .innerJoin('suppressions as x', 'x.email', 'r.email')
      .leftJoin('subscribers as s', 's.email', 'r.email')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('r.import_id', '=', id)
      .where('s.email', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  const store: ImportStore = {
    async stage(lines, now, onInvalid) {
      const id = randomBytes(16).toString('base64url');
      await db
        .insertInto('imports')
        .values({ id, created_at: now, valid_rows: 0, invalid_rows: 0 })
        .execute();
      let valid = 0;
      let invalid = 0;
      let batch: { import_id: string; email: string; created_at: number }[] = [];
      // One INSERT in flight while the next batch is parsed: the upload keeps arriving while the
      // database writes (an upload may not pause longer than BODY_IDLE_MS, http-server.ts).
      let inFlight: Promise<unknown> = Promise.resolve();
      const flush = async () => {
        if (batch.length === 0) return;
        const rows = batch;
        batch = [];
        await inFlight;
        // A repeat of an address staged earlier keeps the first line's signup time.
        inFlight = db
          .insertInto('import_rows')
          .values(rows)
          .onConflict((conflict) => conflict.columns(['import_id', 'email']).doNothing())
          .execute();
        // Handled here so that a failure while the next batch is parsed is not "unhandled"; it is
        // thrown where it is awaited.
        inFlight.catch(() => {});
      };
      try {
        for await (const line of lines) {
          if (!line.ok) {
            invalid++;
            onInvalid(line);
            continue;
          }
          valid++;
          batch.push({ import_id: id, email: line.email, created_at: line.createdAt ?? now });
          if (batch.length >= STAGE_BATCH) await flush();
        }
        await flush();
        await inFlight;
        await db
          .updateTable('imports')
          .set({ valid_rows: valid, invalid_rows: invalid })
          .where('id', '=', id)
          .execute();
      } catch (error) {
        await inFlight.catch(() => {});
        await store.discard(id).catch(() => {});
        throw error;
      }
      const result = await counts(id);
      if (!result) throw new Error('staged import vanished');
      return result;
    },

    async commit(id, notBefore, { includeSuppressed = false } = {}) {
      // The claim: one UPDATE turns `created_at` into -notBefore (a claimed import: negative, so
      // no later claim, confirm or discard matches it, and, if the process dies mid-commit, the
      // sweeper removes it an hour later, see discardStagedBefore). Two confirms at once: the
      // database runs the UPDATEs one after the other and only the first matches the row.
      const claim = (trx: Kysely<Schema>) =>
        trx
          .updateTable('imports')
          .set({ created_at: -notBefore })
          .where('id', '=', id)
          .where('created_at', '>=', notBefore)
          .returning(['created_at', 'valid_rows', 'invalid_rows'])
          .executeTakeFirst();
      const finish = async (trx: Kysely<Schema>, added: number) => {
        await trx.deleteFrom('imports').where('id', '=', id).execute();
        return added;
      };
      // Claim, insert and forget in one transaction: a second confirm finds the claim taken (on
      // PostgreSQL it waits on the claimed row's lock first), and a failure gives nothing back
      // half-done.
      const done = await db.transaction().execute(async (trx) => {
        const row = await claim(trx);
        if (!row) return null;
        // Skipped: suppressed addresses not on the list (counted before the insert).
        const suppressed = includeSuppressed ? 0 : await suppressedNotListed(trx, id);
        const moved = await moveOntoList(id, trx, includeSuppressed);
        // Put back on the list by the admin's say: off the suppression list (before `finish`,
        // which drops the staged rows).
        if (includeSuppressed) {
          await trx
            .deleteFrom('suppressions')
            .where('email', 'in', (eb) =>
              eb.selectFrom('import_rows').select('email').where('import_id', '=', id),
            )
            .execute();
        }
        const added = await finish(trx, moved);
        return { row, added, suppressed };
      });
      if (!done) return null;
      const { row: staged, added, suppressed } = done;
      // The membership cache may hold "not on the list" for any of them.
      database.caches.membership.clear();
      return {
        added,
        alreadyThere: Number(staged.valid_rows) - added - suppressed,
        invalid: Number(staged.invalid_rows),
        suppressed,
      };
    },

    async discard(id) {
      // import_rows go with it (on delete cascade). Not one being committed (claimed: negative).
      const result = await db
        .deleteFrom('imports')
        .where('id', '=', id)
        .where('created_at', '>=', 0)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async discardStagedBefore(time) {
      // Staged before `time` (0 <= created_at < time), or claimed by a commit that has not
      // finished an hour after its own cut-off (-time < created_at < 0: see commit).
      const result = await db
        .deleteFrom('imports')
        .where('created_at', '<', time)
        .where('created_at', '>', -time)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
  return store;
}
