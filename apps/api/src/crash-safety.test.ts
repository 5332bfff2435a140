import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from './test-support/spawn-server.js';
import {
  createTestStorage,
  openTestDatabase,
  storageUrl,
  TEST_BACKEND,
  type TestStorage,
} from './test-support/test-server.js';

const ROUNDS = 4;
const SIGNUP_LOOPS = 12;
const SESSION_KEYS = 'crash-safety-test-key-0123456789abcdefgh';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(storage: TestStorage): Promise<SpawnedServer> {
  const server = await spawnServer({
    DATABASE_URL: storageUrl(storage),
    NODE_ENV: 'production',
    SESSION_KEYS,
    TRUST_PROXY: '1',
    LOG_LEVEL: 'info',
  });
  cleanups.push(async () => {
    server.child.kill('SIGKILL');
    await server.exited;
  });
  return server;
}

let ip = 0;
function signup(server: SpawnedServer, email: string) {
  ip++;
  return fetch(`${server.url}/api/signup`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Forwarded-For': `198.18.${(ip >> 8) & 255}.${ip & 255}`,
    },
    body: JSON.stringify({ email }),
  });
}

describe(`crash safety (${TEST_BACKEND})`, () => {
  // Several server starts and SIGKILLs: 16 s alone, over 30 s beside the other suites on a
  // loaded two-core machine.
  it('keeps every acknowledged signup and unregister across SIGKILLs under load', async () => {
    const storage = await createTestStorage();
    cleanups.push(() => storage.remove());
    const acknowledged = new Set<string>();
    const removed = new Set<string>();
    const undecided = new Set<string>();

    for (let round = 0; round < ROUNDS; round++) {
      const server = await start(storage);

      // Visitors who signed up earlier and will unregister during the load.
      const leaving: { email: string; cookie: string }[] = [];
      for (let i = 0; i < 10; i++) {
        const email = `leaving${round}-${i}@example.com`;
        const response = await signup(server, email);
        expect(response.status).toBe(200);
        acknowledged.add(email);
        const cookie = response.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
        leaving.push({ email, cookie });
      }

      let n = 0;
      let killed = false;
      const signups = Array.from({ length: SIGNUP_LOOPS }, async (_, loop) => {
        while (!killed) {
          const email = `r${round}-l${loop}-${n++}@example.com`;
          const response = await signup(server, email).catch(() => null);
          if (response?.status === 200) acknowledged.add(email);
          else if (response && response.status !== 200)
            throw new Error(`signup ${response.status}`);
        }
      });
      const unregisters = (async () => {
        for (const visitor of leaving) {
          if (killed) return;
          const response = await fetch(`${server.url}/api/unregister`, {
            method: 'POST',
            headers: { Cookie: visitor.cookie },
          }).catch(() => null);
          if (response?.status === 200) removed.add(visitor.email);
          // Sent but never answered (the kill came first): it may or may not have happened.
          else if (!response) undecided.add(visitor.email);
        }
      })();

      // Kill at a random moment while requests are in flight.
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 450));
      server.child.kill('SIGKILL');
      await server.exited;
      killed = true;
      await Promise.all([...signups, unregisters]);
    }

    // The database opens cleanly after the last kill, and holds exactly what was acknowledged.
    const database = await openTestDatabase(storage);
    try {
      if (database.dialect === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
          database.db,
        );
        expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
      }
      const rows = await database.db.selectFrom('subscribers').select('email').execute();
      const stored = new Set(rows.map((row) => row.email));
      const missing = [...acknowledged].filter(
        (email) => !removed.has(email) && !undecided.has(email) && !stored.has(email),
      );
      expect(missing).toEqual([]);
      const resurrected = [...removed].filter((email) => stored.has(email));
      expect(resurrected).toEqual([]);
      expect(acknowledged.size).toBeGreaterThan(ROUNDS * 10);
      expect(removed.size).toBeGreaterThan(0);
      // The trigger-kept counters agree with the table after every crash.
      const counter = await database.db
        .selectFrom('subscriber_count')
        .select((eb) => eb.fn.sum<number | string>('n').as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(counter.n)).toBe(stored.size);
    } finally {
      await database.close();
    }

    // And the server starts on it again.
    const again = await start(storage);
    expect((await fetch(`${again.url}/api/health`)).status).toBe(200);
  }, 120_000);
});
