import { existsSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type SpawnedServer, spawnServer } from './test-support/spawn-server.js';
import { makeTempDir } from './test-support/test-server.js';

const temps: ReturnType<typeof makeTempDir>[] = [];
const servers: SpawnedServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  for (const temp of temps.splice(0)) temp.remove();
});

function tempDir(): string {
  const temp = makeTempDir();
  temps.push(temp);
  return temp.dir;
}

async function start(...args: Parameters<typeof spawnServer>): Promise<SpawnedServer> {
  const server = await spawnServer(...args);
  servers.push(server);
  return server;
}

describe('.env in the working directory', () => {
  it('is read at start, and the real environment wins over it', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, '.env'),
      '# a comment\nDATABASE_URL=sqlite:./from-dotenv.db\nPORT=not-a-port\n',
    );
    // PORT=0 from the real environment overrides the file's bad value.
    const server = await start({ PORT: '0' }, { cwd: dir });
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(existsSync(join(dir, 'from-dotenv.db'))).toBe(true);
  });

  it("reports the file's bad values with everything else that is wrong, all at once", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'TRUST_PROXY=maybe\nADMIN_PASSWORD=short\n');
    const server = await start({ PORT: 'abc' }, { cwd: dir, waitForListening: false });
    expect(await server.exited).toBe(1);
    const output = server.output();
    expect(output).toContain('PORT must be a whole number from 1 to 65535');
    expect(output).toContain('ADMIN_PASSWORD must be at least 8 characters');
    expect(output).toContain('TRUST_PROXY must be 1, true, yes, on or 0, false, no, off');
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });
});

/** What the process printed, checked to be short and free of stack traces. */
function failureOutput(server: SpawnedServer): string {
  const output = server.output();
  expect(output).not.toMatch(/\n\s+at /);
  return output;
}

describe('failing to start', () => {
  it('names the port and says to set PORT when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const server = await start(
        { PORT: String(port), DATABASE_URL: 'sqlite::memory:' },
        { waitForListening: false },
      );
      expect(await server.exited).toBe(1);
      expect(failureOutput(server)).toContain(
        `catlist failed to start: port ${port} on 127.0.0.1 is already in use by another program: stop it, or set PORT to a free port`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('names the SQLite path it cannot open', async () => {
    const dir = tempDir(); // a folder where the database file should be
    const server = await start({ DATABASE_URL: `sqlite:${dir}` }, { waitForListening: false });
    expect(await server.exited).toBe(1);
    const output = failureOutput(server);
    expect(output).toContain(`catlist failed to start: cannot open the SQLite database ${dir} (`);
    expect(output).toContain('or set DATABASE_URL');
  });
});

describe('the line for people at start', () => {
  it('says where it listens, which database, and whether admin and mail are on', async () => {
    const dir = tempDir();
    const path = join(dir, 'list.db');
    const server = await start({ DATABASE_URL: `sqlite:${path}`, ADMIN_PASSWORD: 'correct horse' });
    await eventually(async () => server.output().includes('mail off'));
    expect(server.output()).toContain(
      `catlist listening on ${server.url} · database sqlite ${path} · admin on · mail off`,
    );
  });

  it('says admin is off and how to turn it on', async () => {
    const server = await start({ DATABASE_URL: 'sqlite::memory:' });
    await eventually(async () => server.output().includes('mail off'));
    expect(server.output()).toContain('· admin off (set ADMIN_PASSWORD) · mail off');
  });
});

describe('EMBED_ORIGINS, CORS_ORIGINS and PUBLIC_URL as the server reads them', () => {
  it('takes both origin lists (one merged list) and PUBLIC_URL as a redirect target', async () => {
    const dir = tempDir();
    const server = await start(
      {
        DATABASE_URL: `sqlite:${join(dir, 'catlist.db')}`,
        EMBED_ORIGINS: 'https://a.example',
        CORS_ORIGINS: 'https://b.example',
        PUBLIC_URL: 'https://signup.example',
      },
      { cwd: dir },
    );
    // The form from each listed site, and from no other.
    const post = (origin: string, fields: string) =>
      fetch(`${server.url}/subscribe`, {
        method: 'POST',
        headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: fields,
        redirect: 'manual',
      });
    expect((await post('https://a.example', 'email=a%40example.com')).status).toBe(200);
    expect((await post('https://b.example', 'email=b%40example.com')).status).toBe(200);
    expect((await post('https://c.example', 'email=c%40example.com')).status).toBe(403);
    // Credentialed CORS for the alias's origin too.
    const cors = await fetch(`${server.url}/api/session`, {
      headers: { Origin: 'https://b.example' },
    });
    expect(cors.headers.get('access-control-allow-origin')).toBe('https://b.example');
    // Redirects to a listed site or to PUBLIC_URL, the site's own public origin.
    for (const target of [
      'https://a.example/t',
      'https://b.example/t',
      'https://signup.example/t',
    ]) {
      const answer = await post('https://a.example', `email=r%40example.com&redirect=${target}`);
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe(`${target}?catlist=subscribed`);
    }
  });
});
