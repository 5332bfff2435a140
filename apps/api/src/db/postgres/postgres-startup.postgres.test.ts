import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { StartupError } from '../../config/startup-error.js';
import { type SpawnedServer, spawnServer } from '../../test-support/spawn-server.js';
import { openDatabase } from '../open-database.js';

// Real PostgreSQL at TEST_DATABASE_URL: a database and a role that do not exist there, and a port
// where nothing listens. The first two must fail at once; only the last is worth waiting for.
const BASE = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const suffix = () => randomBytes(4).toString('hex');

function urlWith(change: (url: URL) => void): string {
  const url = new URL(BASE);
  change(url);
  return url.toString();
}

/** A logger that keeps its warnings, to see whether the connection was retried. */
function recordingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  return { logger, retries: () => lines.filter((l) => l.includes('retrying')).length };
}

async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const spawned: SpawnedServer[] = [];
afterEach(async () => {
  for (const server of spawned.splice(0)) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
});

describe('opening PostgreSQL at start', () => {
  it('fails at once, without retrying, when the database does not exist, saying how to create it', async () => {
    const name = `catlist_missing_${suffix()}`;
    const { logger, retries } = recordingLogger();
    // No connectRetryMs: the default retries forever, so a retry here would hang the test.
    const opening = openDatabase(
      urlWith((url) => (url.pathname = `/${name}`)),
      { logger },
    );
    await expect(opening).rejects.toThrow(StartupError);
    await expect(opening).rejects.toThrow(
      `has no database "${name}": create it (createdb -h ${BASE.hostname} -p ${BASE.port || 5432} -U ${decodeURIComponent(BASE.username)} ${name})`,
    );
    expect(retries()).toBe(0);
  });

  it('fails at once when the role does not exist, naming it', async () => {
    const role = `catlist_nobody_${suffix()}`;
    const { logger, retries } = recordingLogger();
    const opening = openDatabase(
      urlWith((url) => {
        url.username = role;
        url.password = '';
      }),
      { logger },
    );
    await expect(opening).rejects.toThrow(StartupError);
    await expect(opening).rejects.toThrow(`refused user "${role}"`);
    expect(retries()).toBe(0);
  });

  it('retries a refused connection, then says PostgreSQL is not reachable', async () => {
    const port = await refusedPort();
    const { logger, retries } = recordingLogger();
    const opening = openDatabase(
      urlWith((url) => (url.port = String(port))),
      { logger, connectRetryMs: 1_000 },
    );
    await expect(opening).rejects.toThrow(
      `PostgreSQL at ${BASE.hostname}:${port} is not reachable (connect ECONNREFUSED`,
    );
    expect(retries()).toBeGreaterThan(0);
  });

  it('makes the server exit 1 with one line naming the missing database', async () => {
    const name = `catlist_missing_${suffix()}`;
    const server = await spawnServer(
      { DATABASE_URL: urlWith((url) => (url.pathname = `/${name}`)) },
      { waitForListening: false },
    );
    spawned.push(server);
    expect(await server.exited).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^catlist failed to start: PostgreSQL at .+ has no database "${name}": create it \\(createdb `,
      ),
    );
  });
});
