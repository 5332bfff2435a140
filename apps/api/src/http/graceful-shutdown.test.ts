import { existsSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnServer } from '../test-support/spawn-server.js';
import { makeTempDir } from '../test-support/test-server.js';
import { gracefulShutdown } from './graceful-shutdown.js';

interface Reply {
  status: number;
  connection: string | undefined;
  body: string;
}

function get(port: number, agent: Agent, path = '/'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gracefulShutdown', () => {
  it('finishes accepted requests on keep-alive sockets, refuses new connections, then closes', async () => {
    const server = createServer((_req, res) => {
      setTimeout(() => res.end('done'), 300);
    });
    const shutdown = gracefulShutdown(server, 5_000);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });

    // Warm keep-alive sockets, some of which will sit idle when shutdown starts.
    await Promise.all(Array.from({ length: 4 }, () => get(port, agent)));
    const inFlight = Array.from({ length: 8 }, () => get(port, agent));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const closed = shutdown();
    const replies = await Promise.all(inFlight);
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(replies.map((r) => r.body)).toEqual(Array(8).fill('done'));
    expect(replies.every((r) => r.connection === 'close')).toBe(true);

    await closed;
    await expect(get(port, new Agent())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    agent.destroy();
  });

  it('cuts connections still open at the deadline', async () => {
    const server = createServer(() => {
      // never answers
    });
    const shutdown = gracefulShutdown(server, 200);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const hanging = get(port, new Agent()).catch((error: NodeJS.ErrnoException) => error.code);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await shutdown();
    expect(await hanging).toBe('ECONNRESET');
  });
});

describe('the server process', () => {
  it('exits 0 on SIGTERM with the database closed cleanly', async () => {
    const temp = makeTempDir();
    try {
      const dbPath = join(temp.dir, 'catlist.db');
      const server = await spawnServer({ DATABASE_URL: `sqlite:${dbPath}` });
      const agent = new Agent({ keepAlive: true });
      expect((await get(server.port, agent, '/api/health')).status).toBe(200); // leaves an idle socket
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('"msg":"stopped"');
      // The last connection's close checkpoints the WAL and removes it.
      expect(existsSync(`${dbPath}-wal`)).toBe(false);
      expect(existsSync(join(temp.dir, 'session-key'))).toBe(true);
      agent.destroy();
    } finally {
      temp.remove();
    }
  });

  it('refuses to start in production without SESSION_KEYS, with a one-line reason', async () => {
    const server = await spawnServer(
      { NODE_ENV: 'production', SESSION_KEYS: '', DATABASE_URL: 'sqlite::memory:' },
      { waitForListening: false },
    );
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/SESSION_KEYS is required in production; generate one with/);
  });
});

describe('SIGTERM under keep-alive load', () => {
  it('answers every request it accepted, refuses new connections and exits 0', async () => {
    const temp = makeTempDir();
    try {
      const server = await spawnServer({
        DATABASE_URL: `sqlite:${join(temp.dir, 'catlist.db')}`,
        TRUST_PROXY: '1',
      });
      const agent = new Agent({ keepAlive: true, maxSockets: 20 });
      const outcomes = { ok: 0, refused: 0, other: [] as string[] };
      let stopped = false;
      let n = 0;
      const loop = async () => {
        while (!stopped) {
          try {
            const reply = await get(
              server.port,
              agent,
              n++ % 2 === 0 ? '/api/session' : '/api/stats',
            );
            if (reply.status === 200) outcomes.ok++;
            else outcomes.other.push(`status ${reply.status}`);
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code ?? String(error);
            if (code === 'ECONNREFUSED') {
              outcomes.refused++;
              return; // the server has stopped accepting: this client is done
            }
            outcomes.other.push(code);
            return;
          }
        }
      };
      const loops = Array.from({ length: 20 }, loop);
      await new Promise((resolve) => setTimeout(resolve, 400));
      server.child.kill('SIGTERM');
      const code = await server.exited;
      stopped = true;
      await Promise.all(loops);
      agent.destroy();

      expect(code).toBe(0);
      expect(outcomes.other).toEqual([]); // no reset, no hang-up, no error status
      expect(outcomes.ok).toBeGreaterThan(0);
      expect(outcomes.refused).toBe(20);
    } finally {
      temp.remove();
    }
  });
});
