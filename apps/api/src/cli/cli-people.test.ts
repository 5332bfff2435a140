import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnouncementStore } from '../announcements/announcement-store.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { createLeavingStore } from '../stores/leaving-store.js';
import { createSubscriberStore } from '../stores/subscriber-store.js';
import {
  createTestStorage,
  listEmails,
  makeTempDir,
  openTestDatabase,
  storageUrl,
  TEST_BACKEND,
  type TestStorage,
} from '../test-support/test-server.js';
import { EXIT } from './cli-help.js';
import { runCli } from './run-cli.js';

// `catlist add` and `catlist import` with the suppression list; `catlist outbox`. Real databases.

let storage: TestStorage;
let database: DatabaseHandle;
let temp: ReturnType<typeof makeTempDir>;
beforeEach(async () => {
  storage = await createTestStorage();
  database = await openTestDatabase(storage);
  temp = makeTempDir();
});
afterEach(async () => {
  await database.close();
  await storage.remove();
  temp.remove();
});

async function catlist(argv: string[], stdin = '') {
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
    env: { DATABASE_URL: storageUrl(storage), INIT_CWD: temp.dir },
    stdin: Readable.from([stdin]),
    stdout,
    stderr,
  });
  return { code, out, err };
}

/** The visitor signed up and left by themselves: the address is on the suppression list. */
async function unsubscribed(email: string) {
  const subscribers = createSubscriberStore(database);
  await subscribers.add(email, Date.now(), 'owner-token');
  expect(await subscribers.removeOwned(email, 'owner-token')).toBe('removed');
}

describe(`catlist and the suppression list (${TEST_BACKEND})`, () => {
  it('add refuses a suppressed address with exit 3, and adds it with --include-suppressed', async () => {
    await unsubscribed('gone@example.com');
    const refused = await catlist(['add', 'Gone@Example.com']);
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.err).toContain('gone@example.com is on the suppression list');
    expect(await listEmails(database)).toEqual([]);

    const told = await catlist(['add', '--include-suppressed', 'gone@example.com']);
    expect(told).toMatchObject({ code: EXIT.ok, out: 'Added gone@example.com.\n' });
    expect(await listEmails(database)).toEqual(['gone@example.com']);
    expect(await createLeavingStore(database).suppressedCount()).toBe(0);
  });

  it('import skips suppressed addresses and says how many; --include-suppressed imports them', async () => {
    await unsubscribed('gone@example.com');
    const file = 'gone@example.com\nnew@example.com\n';
    const dry = await catlist(['import', '--dry-run', '-'], file);
    expect(dry.out).toBe(
      'Dry run (nothing changed): importing standard input would add 1 address, 0 already there, ' +
        '0 invalid, 1 suppressed address skipped (--include-suppressed imports them).\n',
    );
    const skipped = await catlist(['import', '-'], file);
    expect(skipped).toMatchObject({ code: EXIT.ok });
    expect(skipped.out).toBe(
      'Imported standard input: 1 address added, 0 already there, 0 invalid, ' +
        '1 suppressed address skipped (--include-suppressed imports them).\n',
    );
    expect(await listEmails(database)).toEqual(['new@example.com']);

    const included = await catlist(['import', '--include-suppressed', '-'], file);
    expect(included.out).toBe(
      'Imported standard input: 1 address added, 1 already there, 0 invalid.\n',
    );
    expect(await listEmails(database)).toEqual(['gone@example.com', 'new@example.com']);
    expect(await createLeavingStore(database).suppressedCount()).toBe(0);
  });

  it('refuses --include-suppressed on other commands (exit 2)', async () => {
    const result = await catlist(['count', '--include-suppressed']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.err).toContain('--include-suppressed is an option of import and add only.');
  });
});

describe(`catlist outbox (${TEST_BACKEND})`, () => {
  const HOUR = 60 * 60 * 1000;

  /** A queue as the confirmation store and the drainer leave it. */
  async function queue() {
    const now = Date.now();
    const rows = [
      // Waiting: never tried.
      {
        email: 'wait@example.com',
        kind: 'confirm',
        token: 't1',
        attempts: 0,
        sent_at: null,
        last_error: null,
      },
      // Failing: tried three times, tried again later.
      {
        email: 'fail@example.com',
        kind: 'confirm',
        token: 't2',
        attempts: 3,
        sent_at: null,
        last_error: '421 4.7.0 Try again later',
        next_attempt_at: now + HOUR,
      },
      // Sent today.
      {
        email: 'sent@example.com',
        kind: 'confirm',
        token: null,
        attempts: 1,
        sent_at: now,
        last_error: null,
      },
      // Refused for good today: a confirmation (its token is gone) and an "already subscribed".
      {
        email: 'bad@example.com',
        kind: 'confirm',
        token: null,
        attempts: 1,
        sent_at: now,
        last_error: '550 5.1.1 No such user',
      },
      {
        email: 'known@example.com',
        kind: 'already-subscribed',
        token: null,
        attempts: 1,
        sent_at: now,
        last_error: '554 5.7.1 Rejected',
      },
    ] as const;
    const ids: number[] = [];
    for (const row of rows) {
      const inserted = await database.db
        .insertInto('mail_outbox')
        .values({
          queued_at: now - HOUR,
          next_attempt_at: now - HOUR,
          ...row,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(Number(inserted.id));
    }
    return ids;
  }

  const row = (id: number) =>
    database.db
      .selectFrom('mail_outbox')
      .select(['sent_at', 'next_attempt_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('shows an empty queue', async () => {
    const result = await catlist(['outbox']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toContain('Waiting:   0');
    expect(result.out).not.toContain('retry');
  });

  it('shows waiting, failing (attempts, last error), sent and given up today', async () => {
    const [, fail, , bad] = await queue();
    const result = await catlist(['outbox']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toContain('Waiting:   1\n');
    expect(result.out).toContain('Failing:   1 (tried again later)\n');
    expect(result.out).toContain('Sent today (UTC): 1\n');
    expect(result.out).toContain('Given up today (refused for good by the SMTP server): 2\n');
    expect(result.out).toMatch(/Oldest unsent mail queued at \d{4}-\d\d-\d\dT/);
    expect(result.out).toContain(`#${fail} confirm to fail@example.com, 3 attempts, next try `);
    expect(result.out).toContain('last error: 421 4.7.0 Try again later');
    expect(result.out).toContain(`#${bad} confirm to bad@example.com, 1 attempt, given up `);
    expect(result.out).toContain('last error: 550 5.1.1 No such user');
    expect(result.out).toContain('catlist outbox retry <id>');
  });

  it('retry makes a failing or waiting mail due now; a given-up one only if it can be sent', async () => {
    const [wait, fail, sent, bad, known] = (await queue()) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const before = Date.now();
    for (const id of [fail, wait, known]) {
      const result = await catlist(['outbox', 'retry', String(id)]);
      expect(result).toMatchObject({ code: EXIT.ok });
      expect(result.out).toContain(`Mail ${id} is due now`);
      const after = await row(id);
      expect(after.sent_at).toBeNull();
      expect(Number(after.next_attempt_at)).toBeGreaterThanOrEqual(before);
      expect(Number(after.next_attempt_at)).toBeLessThanOrEqual(Date.now());
    }
    const refusals: [number, string][] = [
      [sent, `mail ${sent} was sent already`],
      [bad, 'its confirmation link is gone'],
      [999_999, 'there is no mail 999999 in the outbox'],
    ];
    for (const [id, message] of refusals) {
      const result = await catlist(['outbox', 'retry', String(id)]);
      expect(result.code).toBe(EXIT.refused);
      expect(result.err).toContain(message);
    }
    expect((await row(bad)).sent_at).not.toBeNull();
  });

  it('leaves a mail that an instance is sending right now to it', async () => {
    const [wait] = (await queue()) as [number];
    await database.db
      .updateTable('mail_outbox')
      .set({ claimed_until: Date.now() + HOUR })
      .where('id', '=', wait)
      .execute();
    const result = await catlist(['outbox', 'retry', String(wait)]);
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toContain('is being sent right now');
  });

  it.each([
    [['outbox', 'retry'], 'outbox needs the id of a mail'],
    [['outbox', 'retry', 'x1'], '"x1" is not the id of a mail.'],
    [['outbox', 'flush'], 'Unknown outbox command "flush".'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const result = await catlist(argv);
    expect(result.code).toBe(EXIT.usage);
    expect(result.err).toContain(message);
  });
});

describe(`catlist announcements (${TEST_BACKEND})`, () => {
  it('lists the announcements, newest first, with their counts', async () => {
    expect(await catlist(['announcements'])).toEqual({
      code: EXIT.ok,
      out: 'No announcements yet.\n',
      err: '',
    });
    const store = createAnnouncementStore(database);
    const at = Date.parse('2026-12-07T18:00:00Z');
    const first = await store.create([{ language: 'en', subject: 'Hello', body: 'Hi' }], at);
    await store.transition(first.id, ['draft'], 'sending', at + 1000);
    await store.transition(first.id, ['sending'], 'cancelled', at + 2000);
    await store.create([{ language: 'en', subject: 'Second', body: 'Hi' }], at + 60_000);
    const result = await catlist(['announcements']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toBe(
      [
        `#${first.id + 1} draft 2026-12-07T18:01:00Z "Second"`,
        '    0+ recipients: 0 sent, 0 failed, 0 skipped, 0 waiting; 0 unsubscribed',
        `#${first.id} cancelled 2026-12-07T18:00:01Z "Hello"`,
        '    0+ recipients: 0 sent, 0 failed, 0 skipped, 0 waiting; 0 unsubscribed',
        '',
      ].join('\n'),
    );
  });
});
