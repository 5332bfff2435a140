import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { migrateToLatest } from './migrations.js';
import type { Schema } from './schema.js';

export interface DatabaseHandle {
  readonly db: Kysely<Schema>;
  readonly dialect: 'sqlite' | 'postgres';
  /** Folder for files that belong with the data (the generated session key); null for PostgreSQL. */
  readonly dataDir: string | null;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Resolves `sqlite:<path>` against the working directory; `sqlite::memory:` stays in memory. */
export function sqlitePath(url: string): string {
  const path = url.slice('sqlite:'.length);
  return path === ':memory:' ? path : resolve(path);
}

function openSqlite(url: string): DatabaseHandle {
  const path = sqlitePath(url);
  const dataDir = path === ':memory:' ? null : dirname(path);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const database = new SQLite(path);
  // WAL: readers never block the writer. synchronous=FULL: a commit is on disk (fsynced) before
  // the API answers, so an acknowledged signup survives a process crash and a power cut alike.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
  return {
    db,
    dialect: 'sqlite',
    dataDir,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** Opens the database named by `DATABASE_URL` and runs pending migrations. */
export async function openDatabase(url: string): Promise<DatabaseHandle> {
  if (!url.startsWith('sqlite:')) {
    throw new Error('DATABASE_URL: only sqlite:<path> is supported by this version of catlist');
  }
  const handle = openSqlite(url);
  try {
    await migrateToLatest(handle.db as Kysely<unknown>);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
