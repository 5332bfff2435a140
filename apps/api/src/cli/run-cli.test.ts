import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionStore } from '../stores/session-store.js';
import { createSubscriberStore } from '../stores/subscriber-store.js';
import { eventually } from '../test-support/spawn-server.js';
import {
  createTestStorage,
  listEmails,
  makeTempDir,
  openTestDatabase,
  startTestServer,
  storageUrl,
  type TestStorage,
} from '../test-support/test-server.js';
import { EXIT } from './cli-help.js';
import { runCli } from './run-cli.js';

const API_ROOT = join(import.meta.dirname, '..', '..');

let storage: TestStorage;
let temp: ReturnType<typeof makeTempDir>;
beforeEach(async () => {
  storage = await createTestStorage();
  temp = makeTempDir();
});
afterEach(async () => {
  await storage.remove();
  temp.remove();
});

/** Runs `catlist ...argv` in this process against the test's database. */
async function catlist(
  argv: string[],
  { stdin = '', env = {} }: { stdin?: string; env?: Record<string, string> } = {},
) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const code = await runCli(argv, {
    env: { DATABASE_URL: storageUrl(storage), INIT_CWD: temp.dir, ...env },
    stdin: Readable.from([stdin]),
    stdout,
    stderr,
  });
  return { code, out, err };
}

/**
 * Runs `catlist ...argv` as its own process, as `pnpm catlist:dev` does: in `cwd` (default: the
 * API package) with `env` added to this process's environment (default: the test's database).
 */
function catlistProcess(
  argv: string[],
  {
    cwd = API_ROOT,
    env = { DATABASE_URL: storageUrl(storage) },
  }: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; out: string }> {
  const tsx = createRequire(join(API_ROOT, 'package.json')).resolve('tsx');
  const child = spawn(
    process.execPath,
    [
      '--import',
      pathToFileURL(tsx).href,
      '--conditions=@catlist/source',
      join(API_ROOT, 'src/cli/catlist.ts'),
      ...argv,
    ],
    { cwd, env: { ...withoutDatabaseUrl(process.env), INIT_CWD: temp.dir, ...env } },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _, ...rest } = env;
  return rest;
}

function file(name: string, text: string): string {
  writeFileSync(join(temp.dir, name), text);
  return name;
}

async function emails() {
  const database = await openTestDatabase(storage);
  try {
    return await listEmails(database);
  } finally {
    await database.close();
  }
}

describe('catlist add, remove, count', () => {
  it('adds a normalised address marked cli, counts it, and removes it by another spelling', async () => {
    expect(await catlist(['add', '  Tom@Example.COM '])).toMatchObject({
      code: EXIT.ok,
      out: 'Added tom@example.com.\n',
    });
    expect(await catlist(['add', 'tom@example.com'])).toMatchObject({
      code: EXIT.ok,
      out: 'tom@example.com is already on the list.\n',
    });
    expect(await catlist(['count'])).toMatchObject({ code: EXIT.ok, out: '1\n' });
    const exported = await catlist(['export']);
    expect(parse(exported.out, { columns: true })).toEqual([
      { email: 'tom@example.com', created_at: expect.any(String), source: 'cli' },
    ]);
    expect(await catlist(['remove', 'TOM@example.com'])).toMatchObject({
      code: EXIT.ok,
      out: 'Removed tom@example.com.\n',
    });
    expect(await catlist(['remove', 'tom@example.com'])).toMatchObject({
      code: EXIT.refused,
      err: 'catlist remove: tom@example.com is not on the list.\n',
    });
    expect(await catlist(['count'])).toMatchObject({ out: '0\n' });
  });

  it("removes a legacy address that today's rules refuse by its stored spelling", async () => {
    // Stored before quoted local parts were refused (migration 0009 leaves such rows).
    const database = await openTestDatabase(storage);
    try {
      await createSubscriberStore(database).add('"q"@ex\u00e4mple.com', 1_000);
    } finally {
      await database.close();
    }
    expect(await catlist(['add', '"q"@ex\u00e4mple.com'])).toMatchObject({ code: EXIT.refused });
    expect(await catlist(['remove', '"q"@ex\u00e4mple.com'])).toMatchObject({
      code: EXIT.ok,
      out: 'Removed "q"@ex\u00e4mple.com.\n',
    });
    expect(await emails()).toEqual([]);
  });

  it('refuses an invalid address with exit 3 and stores nothing', async () => {
    const result = await catlist(['add', 'not-an-address']);
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toContain('Please enter a valid email address.');
    expect(await emails()).toEqual([]);
  });
});

describe('catlist export', () => {
  it("writes the admin page's CSV: confirmed_at too when confirmation by email is on", async () => {
    const database = await openTestDatabase(storage);
    try {
      await createSubscriberStore(database).add(
        'added@example.com',
        Date.UTC(2026, 0, 1),
        undefined,
        'cli',
      );
      await database.db
        .insertInto('subscribers')
        .values({
          email: 'confirmed@example.com',
          created_at: Date.UTC(2026, 0, 2),
          owner_hash: null,
          confirmed_at: Date.UTC(2026, 0, 3),
        })
        .execute();
    } finally {
      await database.close();
    }
    const confirming = await catlist(['export'], { env: { MAIL_URL: 'console' } });
    expect(confirming.code).toBe(EXIT.ok);
    expect(confirming.out).toBe(
      'email,created_at,source,confirmed_at\r\n' +
        'confirmed@example.com,2026-01-02T00:00:00.000Z,signup,2026-01-03T00:00:00.000Z\r\n' +
        'added@example.com,2026-01-01T00:00:00.000Z,cli,\r\n',
    );

    // The same file as the admin route's, byte for byte.
    const server = await startTestServer({
      storage,
      adminPassword: 'correct horse battery staple',
      confirmation: {
        mailUrl: 'console',
        from: 'Cats <news@example.com>',
        publicUrl: 'http://localhost',
      },
    });
    try {
      const admin = server.browser();
      await admin
        .post('/api/admin/login')
        .send({ password: 'correct horse battery staple' })
        .expect(200);
      expect((await admin.get('/api/admin/subscribers.csv')).text).toBe(confirming.out);
    } finally {
      await server.stop();
    }

    const plain = await catlist(['export']);
    expect(plain.out.split('\r\n')[0]).toBe('email,created_at,source');
  });
});

describe('catlist import', () => {
  const MIXED = 'Cat@Example.com\nnot an address\n\nknown@example.com\ncat@example.com\ndog@\n';

  it('reports added, already there and invalid lines; --dry-run changes nothing', async () => {
    await catlist(['add', 'known@example.com']);
    const name = file('mixed.csv', MIXED);

    const dry = await catlist(['import', '--dry-run', name]);
    expect(dry.code).toBe(EXIT.refused);
    expect(dry.out).toBe(
      'Dry run (nothing changed): importing mixed.csv would add 1 address, 2 already there, 2 invalid.\n',
    );
    expect(dry.err).toBe(
      'Line 2: "not an address" is not a valid email address.\n' +
        'Line 6: "dog@" is not a valid email address.\n',
    );
    expect(await emails()).toEqual(['known@example.com']);

    const real = await catlist(['import', name]);
    expect(real.out).toBe('Imported mixed.csv: 1 address added, 2 already there, 2 invalid.\n');
    expect(real.code).toBe(EXIT.refused);
    expect(await emails()).toEqual(['cat@example.com', 'known@example.com']);

    // Idempotent: the same file again adds nothing.
    const again = await catlist(['import', name]);
    expect(again.out).toBe('Imported mixed.csv: 0 addresses added, 3 already there, 2 invalid.\n');
    expect(await emails()).toEqual(['cat@example.com', 'known@example.com']);
  });

  it('takes back its own export (header, signup times) and standard input, exiting 0', async () => {
    // '--' ends the options, so an address may start with a dash.
    expect((await catlist(['add', '--', '-dash@example.com'])).code).toBe(EXIT.ok);
    await catlist(['add', 'b@example.com']);
    const exported = (await catlist(['export'])).out;
    expect(exported).toContain("'-dash@example.com");
    await catlist(['remove', '--', '-dash@example.com']);

    const result = await catlist(['import', '-'], { stdin: exported });
    expect(result).toMatchObject({
      code: EXIT.ok,
      out: 'Imported standard input: 1 address added, 1 already there, 0 invalid.\n',
    });
    const rows = parse((await catlist(['export'])).out, { columns: true }) as Record<
      string,
      string
    >[];
    const before = parse(exported, { columns: true }) as Record<string, string>[];
    const dash = rows.find((row) => row.email === "'-dash@example.com");
    expect(dash?.source).toBe('import');
    expect(dash?.created_at).toBe(before.find((row) => row.email === dash?.email)?.created_at);
  });

  it('imports nothing from a file that is not CSV (exit 3)', async () => {
    const name = file('broken.csv', 'a@example.com\n"b@example.com\n');
    const result = await catlist(['import', name]);
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toMatch(/not valid CSV.*Nothing was imported/);
    expect(await emails()).toEqual([]);
  });

  it('fails with exit 1 on a file that is not there', async () => {
    const result = await catlist(['import', 'missing.csv']);
    expect(result.code).toBe(EXIT.failed);
    expect(result.err).toContain('missing.csv');
  });
});

describe('catlist purge-sessions', () => {
  it('deletes only expired sessions and says how many', async () => {
    const database = await openTestDatabase(storage);
    const sessions = createSessionStore(database);
    const now = Date.now();
    await sessions.insert('old-1', { a: 1 }, now - 1000);
    await sessions.insert('old-2', { a: 1 }, now - 1000);
    await sessions.insert('live', { a: 1 }, now + 60_000);
    await database.close();

    expect(await catlist(['purge-sessions'])).toMatchObject({
      code: EXIT.ok,
      out: 'Removed 2 expired sessions.\n',
    });
    const after = await openTestDatabase(storage);
    const ids = await after.db.selectFrom('sessions').select('id').execute();
    await after.close();
    expect(ids).toEqual([{ id: 'live' }]);
  });
});

describe('catlist usage', () => {
  it.each([
    [[], 'No command given.'],
    [['frobnicate'], 'Unknown command "frobnicate".'],
    [['add'], 'add needs an email address.'],
    [['add', 'a@example.com', 'b@example.com'], 'add takes one argument only: an email address.'],
    [
      ['remove', 'a@example.com', 'b@example.com'],
      'remove takes one argument only: an email address.',
    ],
    [
      ['import', 'a.csv', 'b.csv'],
      'import takes one argument only: a CSV file (or - for standard input).',
    ],
    [['count', 'extra'], 'count takes no arguments.'],
    [['add', '--dry-run', 'a@example.com'], '--dry-run is an option of import only.'],
    [['export', '--verbose'], "Unknown option '--verbose'"],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const result = await catlist(argv);
    expect(result.code).toBe(EXIT.usage);
    expect(result.err).toContain(message);
    expect(result.err).toContain('Usage: catlist');
  });

  it.each([
    [['--help'], 'Usage: catlist <command>'],
    [['import', '--help'], 'Usage: catlist import [--dry-run] [--include-suppressed] <file.csv>'],
    [['help', 'purge-sessions'], 'Usage: catlist purge-sessions'],
  ])('%j prints help and exits 0', async (argv, first) => {
    const result = await catlist(argv);
    expect(result.code).toBe(EXIT.ok);
    expect(result.out.startsWith(first)).toBe(true);
  });

  it('exits 1 with the reason when the configuration is wrong', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await runCli(['count'], {
      env: { DATABASE_URL: 'mysql://nope' },
      stdin: Readable.from([]),
      stdout: new PassThrough(),
      stderr,
    });
    expect(code).toBe(EXIT.failed);
    expect(err).toContain('DATABASE_URL');
  });
});

describe('catlist configuration', () => {
  it('reads .env from the working directory, as the server does', async () => {
    file('.env', `# the list\nDATABASE_URL=${storageUrl(storage)}\n`);
    expect(await catlistProcess(['add', 'dotenv@example.com'], { cwd: temp.dir, env: {} })).toEqual(
      { code: EXIT.ok, out: 'Added dotenv@example.com.\n' },
    );
    expect(await emails()).toEqual(['dotenv@example.com']);
  });
});

describe('catlist beside a running server', () => {
  it('imports and adds while the server takes signups, and the server sees the result', async () => {
    const server = await startTestServer({ storage });
    try {
      const name = file(
        'list.csv',
        `email\n${Array.from({ length: 500 }, (_, i) => `bulk${i}@example.com`).join('\n')}\n`,
      );
      const signups = Array.from({ length: 20 }, (_, i) =>
        server
          .request()
          .post('/api/signup')
          .send({ email: `live${i}@example.com` }),
      );
      const [imported, added, ...answers] = await Promise.all([
        catlistProcess(['import', name]),
        catlistProcess(['add', 'cli@example.com']),
        ...signups,
      ]);
      expect(imported).toMatchObject({ code: 0 });
      expect(imported.out).toContain('500 addresses added');
      expect(added).toMatchObject({ code: 0 });
      for (const answer of answers) expect(answer.status).toBe(200);
      await eventually(async () => {
        const stats = await server.request().get('/api/stats');
        return stats.body.subscribers === 521;
      });
      const subscribers = createSubscriberStore(server.database);
      expect(await subscribers.has('bulk499@example.com')).toBe(true);
      expect(await subscribers.has('cli@example.com')).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
