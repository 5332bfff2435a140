import { afterEach, describe, expect, it } from 'vitest';
import { migrationNames } from './db/migrations/migrator.js';
import { eventually, type SpawnedServer, spawnServer } from './test-support/spawn-server.js';
import { startTcpProxy, type TcpProxy } from './test-support/tcp-proxy.js';
import {
  createTestStorage,
  startTestServer,
  storageUrl,
  type TestServer,
  type TestStorage,
  withPostgres,
} from './test-support/test-server.js';

const SESSION_KEYS = 'scale-out-test-key-0123456789abcdefghij';
const PASSWORD = 'scale out admin password';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function instances(storage: TestStorage, count: number): Promise<SpawnedServer[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      spawnServer({
        DATABASE_URL: storageUrl(storage),
        NODE_ENV: 'production',
        SESSION_KEYS,
        ADMIN_PASSWORD: PASSWORD,
      }),
    ),
  );
  cleanups.push(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
  });
  return servers;
}

async function freshStorage(): Promise<TestStorage> {
  const storage = await createTestStorage();
  cleanups.push(() => storage.remove());
  return storage;
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

describe('three API processes on one PostgreSQL', () => {
  it('start together, migrating once, and share sessions, the list and the rate limits', async () => {
    const storage = await freshStorage();
    const [a, b, c] = await instances(storage, 3);
    if (!a || !b || !c) throw new Error('instances missing');

    const migrations = await withPostgres((client) =>
      client.query(`select name from "${storage.schema}".kysely_migration order by name`),
    );
    expect(migrations.rows.map((row) => row.name)).toEqual(migrationNames('postgres'));

    // Sign up through the first, read the session through the second, unregister through the third.
    const signup = await post(`${a.url}/api/signup`, { email: 'shared@example.com' });
    expect(signup.status).toBe(200);
    const cookie = cookieOf(signup);
    const session = await fetch(`${b.url}/api/session`, { headers: { Cookie: cookie } });
    expect(await session.json()).toEqual({
      email: 'shared@example.com',
      subscribed: true,
      admin: false,
    });
    const unregister = await fetch(`${c.url}/api/unregister`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(await unregister.json()).toEqual({ removed: 'shared@example.com' });
    expect(await (await fetch(`${a.url}/api/stats`)).json()).toEqual({ subscribers: 0 });

    // Five failed admin logins spread over the three: the next is 429 on any of them.
    const servers = [a, b, c];
    for (let i = 0; i < 5; i++) {
      const server = servers[i % 3] as SpawnedServer;
      expect((await post(`${server.url}/api/admin/login`, { password: 'wrong' })).status).toBe(401);
    }
    for (const server of servers) {
      const refused = await post(`${server.url}/api/admin/login`, { password: PASSWORD });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }

    // Thirty signups from one IP (the first one above, 29 more) spread over the three: the next
    // is 429 on any of them.
    for (let i = 0; i < 29; i++) {
      const server = servers[i % 3] as SpawnedServer;
      expect((await post(`${server.url}/api/signup`, { email: `s${i}@example.com` })).status).toBe(
        200,
      );
    }
    for (const server of servers) {
      expect((await post(`${server.url}/api/signup`, { email: 'late@example.com' })).status).toBe(
        429,
      );
    }
  });

  it('keep answering correctly when one of them is killed during traffic', async () => {
    const storage = await freshStorage();
    const servers = await instances(storage, 3);
    const [victim, ...survivors] = servers;
    if (!victim) throw new Error('instances missing');

    const acknowledged: string[] = [];
    let n = 0;
    const traffic = async (server: SpawnedServer, until: () => boolean) => {
      while (!until()) {
        const email = `load${n++}@example.com`;
        const response = await post(
          `${server.url}/api/signup`,
          { email },
          {
            // Many visitors behind one proxy would need TRUST_PROXY; here each instance sees one IP,
            // so stay under 30 per minute in total.
          },
        ).catch(() => null);
        if (response?.status === 200) acknowledged.push(email);
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
    };
    let stop = false;
    const load = Promise.all(survivors.map((server) => traffic(server, () => stop)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    victim.child.kill('SIGKILL');
    await victim.exited;

    for (const server of survivors) {
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await load;

    const stats = (await (await fetch(`${survivors[0]?.url}/api/stats`)).json()) as {
      subscribers: number;
    };
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(stats.subscribers).toBe(acknowledged.length);
  });
});

describe('PostgreSQL outages', () => {
  let proxy: TcpProxy;
  let server: TestServer;

  it('answer 503 with the error body while the database is gone, then recover by themselves', async () => {
    proxy = await startTcpProxy(5432);
    cleanups.push(() => proxy.close());
    const storage = await freshStorage();
    server = await startTestServer({
      storage: {
        ...storage,
        url: new URL(storage.url).toString().replace(':5432', `:${proxy.port}`),
      },
    });
    cleanups.push(() => server.stop());
    const browser = server.browser();
    await browser.post('/api/signup').send({ email: 'before@example.com' }).expect(200);

    await proxy.cut();
    const stats = await server.request().get('/api/stats');
    expect(stats.status).toBe(503);
    expect(stats.body).toEqual({
      error: { code: 'service_unavailable', message: expect.any(String) },
    });
    const health = await server.request().get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: 'unavailable' });
    const signup = await server.request().post('/api/signup').send({ email: 'during@example.com' });
    expect(signup.status).toBe(503);
    expect((await browser.get('/api/session')).status).toBe(503);
    // Health answers in its own shape even for a visitor with a session cookie.
    expect((await browser.get('/api/health')).body).toEqual({ status: 'unavailable' });

    await proxy.restore();
    await eventually(async () => (await server.request().get('/api/health')).status === 200);
    expect((await browser.get('/api/session')).body).toEqual({
      email: 'before@example.com',
      subscribed: true,
      admin: false,
    });
    await server.request().post('/api/signup').send({ email: 'after@example.com' }).expect(200);
    expect((await server.request().get('/api/stats')).body).toEqual({ subscribers: 2 });
  });

  it('retry at startup with backoff, saying so, until the database is there', async () => {
    proxy = await startTcpProxy(5432);
    cleanups.push(() => proxy.close());
    const storage = await freshStorage();
    await proxy.cut();
    const spawned = await spawnServer(
      {
        DATABASE_URL: storageUrl(storage, proxy.port),
        NODE_ENV: 'production',
        SESSION_KEYS,
        LOG_LEVEL: 'info',
      },
      { waitForListening: false },
    );
    cleanups.push(async () => {
      spawned.child.kill('SIGKILL');
      await spawned.exited;
    });
    await eventually(async () =>
      spawned.output().includes('PostgreSQL not reachable yet; retrying'),
    );
    await proxy.restore();
    await eventually(async () => spawned.output().includes('catlist listening'));
    const port = Number(/"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(spawned.output())?.[1]);
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
  });
});
