import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { type Logger, pino } from 'pino';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
} from 'rate-limiter-flexible';
import { StartupError } from '../config/startup-error.js';
import { sqlitePath } from './database-url.js';
import type { Dialect } from './migrations/dialect.js';
import { migrateToLatest } from './migrations/migrator.js';
import {
  isWorthRetrying,
  postgresConnectFailure,
  postgresUnreachable,
} from './postgres/connect-failure.js';
import { queryLog } from './query-log.js';
import {
  type CachedSession,
  MEMBERSHIP_CACHE_SIZE,
  ReadCache,
  SESSION_CACHE_SIZE,
} from './read-cache.js';
import type { Schema } from './schema.js';
import { GroupCommit } from './sqlite/group-commit.js';
import { GroupCommitDialect } from './sqlite/group-commit-dialect.js';
import { indexSearchInBackground } from './sqlite/search-indexing.js';
import { BUSY_TIMEOUT_MS } from './sqlite/wait-for-lock.js';

export interface RateLimiterOptions {
  /** Distinguishes limiters sharing one store. */
  keyPrefix: string;
  points: number;
  /** Window length in seconds. */
  duration: number;
  /** Once over the limit, refuse for this many seconds (default: until the window ends). */
  blockDuration?: number;
}

/**
 * What the stores of one database remember of it (see ReadCache). One set per database, made by
 * `openDatabase`, and every store over that database takes its cache from here: they must share
 * it, since a write through one store has to drop the entry that another store reads.
 */
export interface ReadCaches {
  /** Session rows by id (createSessionStore). */
  readonly sessions: ReadCache<CachedSession>;
  /** Whether an address is on the list, by address (createSubscriberStore). */
  readonly membership: ReadCache<boolean>;
}

/**
 * An open database. A write through `db` (a statement, or a whole `db.transaction()`) resolves
 * only once it is durable: on SQLite after the COMMIT of its group (GroupCommit); on PostgreSQL
 * after it reports the commit. So a caller may acknowledge a change as soon as it resolves.
 */
export interface DatabaseHandle {
  readonly db: Kysely<Schema>;
  readonly dialect: Dialect;
  /** The read caches that every store over this database shares. */
  readonly caches: ReadCaches;
  /** Folder for files that belong with the data (the generated session key); null for PostgreSQL. */
  readonly dataDir: string | null;
  /** A rate limiter whose counters live where this database says: memory for one SQLite process,
   * the database itself for PostgreSQL, so that every instance sees the same counts. */
  rateLimiter(options: RateLimiterOptions): RateLimiterAbstract;
  /**
   * SQLite only: a number that changes whenever another connection (the sqlite3 shell, say)
   * commits to the file, so that copies kept in memory (ReadCache) can be dropped.
   */
  externalVersion?(): number;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  logger?: Logger;
  /** PostgreSQL connections per process. */
  poolSize?: number;
  /** PostgreSQL: longest a statement may run, and longest to wait for a connection. */
  statementTimeoutMs?: number;
  /** PostgreSQL schema to use (tests give each run its own). */
  schema?: string;
  /** How long to keep retrying an unreachable PostgreSQL at startup (default: forever). */
  connectRetryMs?: number;
}

/**
 * Opens the file read-write, creating its folder; a path that cannot be opened (a folder, no
 * permission, a read-only disk) becomes a StartupError that names it.
 */
function openSqliteFile(path: string, dataDir: string | null): SQLite.Database {
  let raw: SQLite.Database | undefined;
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    raw = new SQLite(path);
    // WAL: readers never block the writer. FULL: a COMMIT returns once the log is synced, so a
    // write is acknowledged only once durable (GroupCommit). The long busy_timeout is for the
    // migrations only; openSqlite shortens it afterwards.
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('busy_timeout = 5000');
    raw.pragma('foreign_keys = ON');
    return raw;
  } catch (error) {
    raw?.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(
      `cannot open the SQLite database ${path} (${reason}): check that the path is a file in a ` +
        'folder this user may write, or set DATABASE_URL',
      { cause: error },
    );
  }
}

async function openSqlite(url: string, options: DatabaseOptions): Promise<DatabaseHandle> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const path = sqlitePath(url);
  const dataDir = path === ':memory:' ? null : dirname(path);
  const raw = openSqliteFile(path, dataDir);
  try {
    // Migrations run first, on this same connection, through Kysely's own SQLite dialect.
    await migrateToLatest(
      new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) }),
      'sqlite',
    );
  } catch (error) {
    raw.close();
    throw error;
  }
  // From now on a lock held by another process is waited for on timers, not inside SQLite
  // (which would hold the event loop): see GroupCommit.
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const connection = new GroupCommit(raw);
  const stopIndexing = indexSearchInBackground(connection, logger);
  const db = new Kysely<Schema>({
    dialect: new GroupCommitDialect(connection),
    ...queryLog(logger),
  });
  const externalVersion = () => connection.dataVersion();
  return {
    db,
    dialect: 'sqlite',
    // This process is the file's only writer, so what it read stays exact (see ReadCache).
    caches: {
      sessions: new ReadCache(SESSION_CACHE_SIZE, externalVersion),
      membership: new ReadCache(MEMBERSHIP_CACHE_SIZE, externalVersion),
    },
    dataDir,
    // One process owns a SQLite file, so its counters can live in that process.
    rateLimiter: (options) => new RateLimiterMemory(options),
    externalVersion,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      stopIndexing();
      await db.destroy();
      await connection.close();
    },
  };
}

const RATE_LIMIT_TABLE = 'rate_limits';

/**
 * Waits until PostgreSQL answers. Only failures that waiting can fix (refused, timed out, starting
 * up) are retried, with backoff; a missing database, a refused login or an unknown host fail at
 * once with a StartupError that says what to change.
 */
async function waitForPostgres(
  pool: pg.Pool,
  url: string,
  logger: Logger,
  retryMs: number,
): Promise<void> {
  const started = Date.now();
  let delay = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query('select 1');
      if (attempt > 1) logger.info({ attempt }, 'PostgreSQL reachable');
      return;
    } catch (error) {
      if (!isWorthRetrying(error)) throw postgresConnectFailure(error, url);
      if (Date.now() - started + delay > retryMs) throw postgresUnreachable(error, url);
      logger.warn(
        { attempt, retryInMs: delay, err: error instanceof Error ? error.message : String(error) },
        'PostgreSQL not reachable yet; retrying',
      );
      await sleep(delay);
      delay = Math.min(delay * 2, 10_000);
    }
  }
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<DatabaseHandle> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const timeout = options.statementTimeoutMs ?? 5_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    application_name: 'catlist',
    statement_timeout: timeout,
    query_timeout: timeout + 1_000,
    connectionTimeoutMillis: timeout,
    idleTimeoutMillis: 30_000,
    ...(options.schema ? { options: `-c search_path="${options.schema}"` } : {}),
  });
  // An idle connection dropped by the server emits here; without a listener the process dies.
  pool.on('error', (error) => logger.warn({ err: error.message }, 'PostgreSQL connection lost'));
  try {
    await waitForPostgres(pool, url, logger, options.connectRetryMs ?? Number.POSITIVE_INFINITY);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), ...queryLog(logger) });
  return {
    db,
    dialect: 'postgres',
    // Other processes write to it too: caches that keep nothing, so every read asks PostgreSQL.
    caches: { sessions: new ReadCache(0), membership: new ReadCache(0) },
    dataDir: null,
    rateLimiter: (options) =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        // One table for every limiter: the library names its prepared statements after the
        // query, not the table, so two tables on one connection would collide.
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        ...options,
      }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** Opens the database named by `DATABASE_URL` and runs pending migrations. */
export async function openDatabase(
  url: string,
  options: DatabaseOptions = {},
): Promise<DatabaseHandle> {
  if (url.startsWith('sqlite:')) return openSqlite(url, options);
  const handle = await openPostgres(url, options);
  try {
    await migrateToLatest(handle.db as Kysely<unknown>, handle.dialect);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
