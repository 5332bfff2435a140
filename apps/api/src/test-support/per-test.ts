import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
import type { DatabaseHandle } from '../db/open-database.js';
import { createTestStorage, openTestDatabase, type TestStorage } from './test-server.js';

/**
 * A fresh, migrated database for every test of the calling file, closed and removed after it.
 * Read `storage` and `database` inside tests (they change from test to test).
 */
export function useTestDatabase(): { storage: TestStorage; database: DatabaseHandle } {
  const current = {} as { storage: TestStorage; database: DatabaseHandle };
  let opened: Partial<typeof current> = {};
  beforeEach(async () => {
    opened = {};
    opened.storage = current.storage = await createTestStorage();
    opened.database = current.database = await openTestDatabase(current.storage);
  });
  afterEach(async () => {
    // Only what this test's setup got to open: a failed setup reports its own error, not ours.
    await opened.database?.close();
    await opened.storage?.remove();
  });
  return current;
}

/** Listens on a free port of 127.0.0.1 for the current test; closed after it. */
export function useListeners(): (server: Server) => Promise<string> {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  return async (server) => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with exactly these headers (fetch and supertest add their own). */
export function rawRequest(
  url: string,
  path: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string | Buffer | undefined } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}
