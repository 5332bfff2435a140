import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/open-database.js';
import type { Executor, RemovalKind, SuppressionReason } from '../db/schema.js';

/** A day in ms: the growth picture counts per UTC day. */
const DAY_MS = 24 * 60 * 60 * 1000;
/** Days in the growth picture, today included. */
export const GROWTH_DAYS = 90;

/** The suppression list's reason for a removal of this kind; none for a plain removal. */
const SUPPRESS: Record<RemovalKind, SuppressionReason | undefined> = {
  unsubscribed: 'unsubscribed',
  complaint: 'complaint',
  removed: undefined,
};

/**
 * Records that `email` left the list at `at` (call it in the transaction that deleted the row):
 * a removal row for the growth picture, and, when the address left by itself or as a complaint,
 * its place on the suppression list.
 */
export async function recordLeaving(
  db: Executor,
  email: string,
  at: number,
  kind: RemovalKind,
): Promise<void> {
  await db.insertInto('removals').values({ removed_at: at, kind }).execute();
  const reason = SUPPRESS[kind];
  if (reason === undefined) return;
  await db
    .insertInto('suppressions')
    .values({ email, suppressed_at: at, reason })
    .onConflict((conflict) => conflict.column('email').doUpdateSet({ suppressed_at: at, reason }))
    .execute();
}

/** Takes `email` off the suppression list (its owner signed up again, or the admin said so). */
export async function liftSuppression(db: Executor, email: string): Promise<boolean> {
  const result = await db.deleteFrom('suppressions').where('email', '=', email).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export interface SuppressedAddress {
  email: string;
  suppressedAt: number;
  reason: SuppressionReason;
}

/** One UTC day of the growth picture. */
export interface GrowthDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  joined: number;
  left: number;
}

/** The suppression list and the counts of joining and leaving. */
export interface LeavingStore {
  isSuppressed(email: string, db?: Executor): Promise<boolean>;
  suppressedCount(): Promise<number>;
  /** Up to `limit` suppressed addresses in address order, after `after`. */
  suppressed(limit: number, after?: string): Promise<SuppressedAddress[]>;
  lift(email: string): Promise<boolean>;
  /** Joined and left per UTC day, for the GROWTH_DAYS days up to and including `now`'s. */
  growth(now: number): Promise<GrowthDay[]>;
}

/** Removals per day index (0 = the day starting at `start`), at or after `start`. */
async function leftPerDay(db: Executor, start: number): Promise<Map<number, number>> {
  // Integer division on both databases (bigint by bigint: SQLite binds a JS number as a real,
  // hence the casts); one range scan of the removals_removed_at index, grouped.
  const from = sql`cast(${start} as bigint)`;
  const { rows } = await sql<{ d: number | string; n: number | string }>`
    select (removed_at - ${from}) / cast(${DAY_MS} as bigint) as d, count(*) as n
    from removals where removed_at >= ${from}
    group by 1`.execute(db);
  return new Map(rows.map((row) => [Number(row.d), Number(row.n)]));
}

/** Addresses on the list per day index, from the counters the triggers keep (migration 0012). */
async function joinedPerDay(db: Executor, start: number): Promise<Map<number, number>> {
  const first = start / DAY_MS;
  const rows = await db
    .selectFrom('daily_joins')
    .select(['day', (eb) => eb.fn.sum<number | string>('n').as('n')])
    .where('day', '>=', first)
    .groupBy('day')
    .execute();
  return new Map(rows.map((row) => [Number(row.day) - first, Number(row.n)]));
}

export function createLeavingStore({ db }: DatabaseHandle): LeavingStore {
  return {
    async isSuppressed(email, executor = db) {
      const row = await executor
        .selectFrom('suppressions')
        .select('email')
        .where('email', '=', email)
        .executeTakeFirst();
      return row !== undefined;
    },

    async suppressedCount() {
      const { n } = await db
        .selectFrom('suppressions')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n);
    },

    async suppressed(limit, after) {
      let query = db.selectFrom('suppressions').select(['email', 'suppressed_at', 'reason']);
      if (after !== undefined) query = query.where('email', '>', after);
      const rows = await query.orderBy('email').limit(limit).execute();
      return rows.map((row) => ({
        email: row.email,
        suppressedAt: Number(row.suppressed_at),
        reason: row.reason,
      }));
    },

    lift: (email) => liftSuppression(db, email),

    async growth(now) {
      const start = Math.floor(now / DAY_MS) * DAY_MS - (GROWTH_DAYS - 1) * DAY_MS;
      const [joined, left] = await Promise.all([joinedPerDay(db, start), leftPerDay(db, start)]);
      return Array.from({ length: GROWTH_DAYS }, (_, d) => ({
        day: new Date(start + d * DAY_MS).toISOString().slice(0, 10),
        joined: joined.get(d) ?? 0,
        left: left.get(d) ?? 0,
      }));
    },
  };
}
