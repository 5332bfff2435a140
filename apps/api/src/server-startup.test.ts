import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from './test-support/spawn-server.js';
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
