import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Router from '@koa/router';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import supertest from 'supertest';
import { type AppDeps, createApp } from '../app.js';
import { type DatabaseHandle, openDatabase } from '../db/open-database.js';
import { createHttpServer } from '../http/http-server.js';
import { offTheDocument } from './openapi-check.js';
import { recordAnswers } from './record-answers.js';

export const TEST_SESSION_KEY = 'test-session-key-0123456789abcdefghij';

/** The cookie a browser holds for session `id`: the id and its HMAC-SHA256 under the test key. */
export function signedSessionCookie(id: string): string {
  const sig = createHmac('sha256', TEST_SESSION_KEY).update(`sid=${id}`).digest('base64url');
  return `sid=${id}; sid.sig=${sig}`;
}

/** Which backend this test run uses: the vitest project sets it (see vitest.config.ts). */
export const TEST_BACKEND: 'sqlite' | 'postgres' =
  process.env.CATLIST_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

/** A fresh folder, removed by the returned cleanup. */
export function makeTempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'catlist-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A bare Kysely on `storage`, outside the app: for tests that build a database the way an older
 * release left it (migrated only so far, filled by hand).
 */
export function rawDatabase(storage: TestStorage): Kysely<unknown> {
  if (storage.url.startsWith('sqlite:')) {
    return new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new SQLite(storage.url.slice('sqlite:'.length)) }),
    });
  }
  return new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({
        connectionString: storage.url,
        options: `-c search_path="${storage.schema}"`,
      }),
    }),
  });
}

/** Where one test keeps its data: a SQLite file in a temp folder, or a PostgreSQL schema. */
export interface TestStorage {
  url: string;
  schema?: string;
  remove(): Promise<void>;
}

/** Runs SQL against TEST_DATABASE_URL on a short-lived connection. */
export async function withPostgres<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Fresh, empty storage on this run's backend. */
export async function createTestStorage(): Promise<TestStorage> {
  if (TEST_BACKEND === 'sqlite') {
    const temp = makeTempDir();
    return { url: `sqlite:${join(temp.dir, 'catlist.db')}`, remove: async () => temp.remove() };
  }
  const url = process.env.TEST_DATABASE_URL ?? '';
  const schema = `catlist_test_${randomBytes(6).toString('hex')}`;
  await withPostgres((client) => client.query(`create schema "${schema}"`));
  return {
    url,
    schema,
    remove: async () => {
      await withPostgres((client) => client.query(`drop schema "${schema}" cascade`));
    },
  };
}

/** A DATABASE_URL for `storage` that a separate server process can use. */
export function storageUrl(storage: TestStorage, port?: number): string {
  if (!storage.schema) return storage.url;
  const url = new URL(storage.url);
  if (port) url.port = String(port);
  url.searchParams.set('options', `-c search_path=${storage.schema}`);
  return url.toString();
}

/** Opens (and migrates) the database in `storage`. */
export function openTestDatabase(storage: TestStorage): Promise<DatabaseHandle> {
  return openDatabase(storage.url, {
    connectRetryMs: 0,
    ...(storage.schema ? { schema: storage.schema } : {}),
  });
}

export interface TestServer {
  url: string;
  /** The API's router inside the app (its routes are what the server serves). */
  router: Router;
  database: DatabaseHandle;
  storage: TestStorage;
  /** A client without cookies. */
  request: () => supertest.Agent;
  /** A client that keeps cookies between requests, like one browser. */
  browser: () => supertest.Agent;
  /**
   * Stops the HTTP server and closes the database (the data stays until `cleanup`); then throws if
   * any answer the server gave to a documented operation is off the OpenAPI document.
   */
  stop: () => Promise<void>;
  /** `stop`, then delete the data. */
  cleanup: () => Promise<void>;
}

/**
 * Starts the real app on a real port (`port`, or any free one) against a real, fresh database (or
 * `storage`, to reuse). Its background work (sweeper, mail drainer) runs only with `background`.
 */
export async function startTestServer(
  overrides: Partial<Omit<AppDeps, 'database'>> & {
    storage?: TestStorage;
    requestTimeoutMs?: number;
    bodyIdleMs?: number;
    port?: number;
    background?: boolean;
    /** Stands between the app and its database (a test that holds one step in flight). */
    wrapDatabase?: (database: DatabaseHandle) => DatabaseHandle;
  } = {},
): Promise<TestServer> {
  const {
    storage: given,
    requestTimeoutMs,
    bodyIdleMs,
    port: wanted = 0,
    background,
    wrapDatabase,
    ...deps
  } = overrides;
  const storage = given ?? (await createTestStorage());
  const database = await openTestDatabase(storage).catch(async (error: unknown) => {
    if (!given) await storage.remove();
    throw error;
  });
  const built = createApp({
    database: wrapDatabase ? wrapDatabase(database) : database,
    sessionKeys: [TEST_SESSION_KEY],
    ...deps,
  });
  const { app, router } = built;
  const server = createHttpServer(app, {
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    ...(bodyIdleMs ? { bodyIdleMs } : {}),
  });
  // Every test that talks to a test server also checks its answers against the OpenAPI document.
  const answers = recordAnswers(server);
  await new Promise<void>((resolve) => server.listen(wanted, '127.0.0.1', resolve));
  if (background) built.start();
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await built.close();
    await database.close().catch(() => {});
    const problems = offTheDocument(answers.splice(0));
    if (problems.length > 0) {
      throw new Error(`Answers off the OpenAPI document:\n${problems.join('\n')}`);
    }
  };
  return {
    url,
    router,
    database,
    storage,
    request: () => supertest.agent(url),
    browser: () => supertest.agent(url),
    stop,
    cleanup: async () => {
      try {
        await stop();
      } finally {
        if (!given) await storage.remove();
      }
    },
  };
}

/** A port nobody listens on right now (to know a server's URL before building its app). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Every address on the list, straight from the database. */
export async function listEmails(database: DatabaseHandle): Promise<string[]> {
  const rows = await database.db
    .selectFrom('subscribers')
    .select('email')
    .orderBy('email')
    .execute();
  return rows.map((row) => row.email);
}

/** How many session rows are stored. */
export async function countSessions(database: DatabaseHandle): Promise<number> {
  const rows = await database.db.selectFrom('sessions').select('id').execute();
  return rows.length;
}
