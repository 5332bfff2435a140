import { afterEach, describe, expect, it } from 'vitest';
import { SMTP_CONNECTIONS } from '../confirmation/mail-transport.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { startSmtpCatcher } from '../test-support/smtp-catcher.js';
import { eventually, type SpawnedServer, spawnServer } from '../test-support/spawn-server.js';
import {
  createTestStorage,
  openTestDatabase,
  storageUrl,
  TEST_BACKEND,
  type TestStorage,
} from '../test-support/test-server.js';
import { createAnnouncementStore } from './announcement-store.js';

// docs/operations.md, "Announcements": a server killed mid-send resumes on restart; only the
// mails the SMTP server took but the outbox had not recorded yet may go twice.

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(storage: TestStorage, smtpUrl: string): Promise<SpawnedServer> {
  const server = await spawnServer({
    DATABASE_URL: storageUrl(storage),
    NODE_ENV: 'production',
    SESSION_KEYS: 'announcement-crash-test-key-0123456789abcdef',
    LOG_LEVEL: 'info',
    MAIL_URL: smtpUrl,
    MAIL_FROM: 'Cats Everywhere <news@example.com>',
    PUBLIC_URL: 'https://signup.example.com',
    MAIL_RETRY_MS: '200',
    // Fast enough for the test, slow enough to be killed mid-send.
    ANNOUNCE_RATE: '400',
  });
  cleanups.push(async () => {
    server.child.kill('SIGKILL');
    await server.exited;
  });
  return server;
}

async function seed(database: DatabaseHandle, n: number) {
  const emails = Array.from(
    { length: n },
    (_, i) => `reader${String(i).padStart(4, '0')}@example.com`,
  );
  for (let i = 0; i < n; i += 250) {
    await database.db
      .insertInto('subscribers')
      .values(
        emails.slice(i, i + 250).map((email) => ({
          email,
          created_at: Date.now(),
          owner_hash: null,
          confirmed_at: Date.now(),
        })),
      )
      .execute();
  }
  return emails;
}

describe(`announcements across a crash (${TEST_BACKEND})`, () => {
  it('resumes after a SIGKILL mid-send: none missed, none twice beyond the mails in flight', async () => {
    const storage = await createTestStorage();
    cleanups.push(() => storage.remove());
    const database = await openTestDatabase(storage);
    cleanups.push(() => database.close());
    const smtp = await startSmtpCatcher();
    cleanups.push(() => smtp.stop());
    const emails = await seed(database, 400);
    const store = createAnnouncementStore(database);
    const { id } = await store.create(
      [{ language: 'en', subject: 'Across a crash', body: 'Still here.' }],
      Date.now(),
    );
    await store.transition(id, ['draft'], 'sending', Date.now());

    const first = await start(storage, smtp.url);
    await smtp.waitFor(100, 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const beforeRestart = smtp.mails.length;
    expect(beforeRestart).toBeLessThan(400);

    await start(storage, smtp.url);
    await eventually(async () => (await store.get(id))?.status === 'sent', 150_000);
    const counts = new Map<string, number>();
    for (const mail of smtp.mails) counts.set(mail.to, (counts.get(mail.to) ?? 0) + 1);
    // None missed...
    expect([...counts.keys()].sort()).toEqual(emails);
    // ...and none twice but those in flight at the kill: two per SMTP connection at most.
    const twice = [...counts.values()].filter((n) => n > 1);
    expect(twice.every((n) => n === 2)).toBe(true);
    expect(twice.length).toBeLessThanOrEqual(2 * SMTP_CONNECTIONS);
    const done = await store.get(id);
    expect(done).toMatchObject({ recipients: 400, sent: 400, failed: 0, skipped: 0 });
  }, 240_000);
});
