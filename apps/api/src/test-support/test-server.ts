import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { type AppDeps, createApp } from '../app.js';
import { type DatabaseHandle, openDatabase } from '../db/open-database.js';

export const TEST_SESSION_KEY = 'test-session-key-0123456789abcdefghij';

/** A fresh folder for one test's database files, removed by the returned cleanup. */
export function makeTempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'catlist-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestServer {
  url: string;
  database: DatabaseHandle;
  dbPath: string;
  /** A client without cookies. */
  request: () => supertest.Agent;
  /** A client that keeps cookies between requests, like one browser. */
  browser: () => supertest.Agent;
  /** Stops the HTTP server and closes the database (the files stay until `cleanup`). */
  stop: () => Promise<void>;
  /** `stop`, then delete the database folder. */
  cleanup: () => Promise<void>;
}

/** Starts the real app on a real port against a real SQLite file in a temporary folder. */
export async function startTestServer(
  overrides: Partial<Omit<AppDeps, 'database'>> & { dbPath?: string } = {},
): Promise<TestServer> {
  const temp = overrides.dbPath ? null : makeTempDir();
  const dbPath = overrides.dbPath ?? join(temp?.dir ?? '', 'catlist.db');
  const database = await openDatabase(`sqlite:${dbPath}`);
  const app = createApp({ database, sessionKeys: [TEST_SESSION_KEY], ...overrides });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await database.close();
  };
  return {
    url,
    database,
    dbPath,
    request: () => supertest.agent(url),
    browser: () => supertest.agent(url),
    stop,
    cleanup: async () => {
      await stop();
      temp?.remove();
    },
  };
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
