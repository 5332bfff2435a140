import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailTransport } from '../confirmation/mail-transport.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { SigningKeys } from '../session/signing-keys.js';
import { useTestDatabase } from '../test-support/per-test.js';
import { startSmtpCatcher } from '../test-support/smtp-catcher.js';
import { openTestDatabase, TEST_SESSION_KEY } from '../test-support/test-server.js';
import { AnnouncementSender } from './announcement-sender.js';
import { type AnnouncePace, createAnnouncementStore } from './announcement-store.js';

// Several instances on one PostgreSQL share one send: each recipient once, at one pace.

const current = useTestDatabase();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function sender(database: DatabaseHandle, smtpUrl: string, pace: AnnouncePace) {
  const transport = createMailTransport(smtpUrl);
  const send = new AnnouncementSender({
    store: createAnnouncementStore(database),
    transport,
    keys: new SigningKeys([TEST_SESSION_KEY]),
    settings: {
      from: 'Cats Everywhere <news@example.com>',
      publicUrl: 'https://signup.example.com',
      siteName: 'Cats Everywhere',
    },
    site: { languages: ['en'], defaultLanguage: 'en' },
    pace,
    logger: pino({ level: 'silent' }),
    now: Date.now,
    // A lease (8 × this) far longer than a send on the loopback: any duplicate would be a bug.
    retryBaseMs: 1000,
    pollMs: 20,
  });
  send.start();
  cleanups.push(async () => {
    await send.stop();
    transport.close();
  });
}

async function announce(database: DatabaseHandle, n: number) {
  const emails = Array.from(
    { length: n },
    (_, i) => `reader${String(i).padStart(4, '0')}@example.com`,
  );
  await database.db
    .insertInto('subscribers')
    .values(
      emails.map((email) => ({
        email,
        created_at: Date.now(),
        owner_hash: null,
        confirmed_at: Date.now(),
      })),
    )
    .execute();
  const store = createAnnouncementStore(database);
  const { id } = await store.create(
    [{ language: 'en', subject: 'Shared', body: 'One each.' }],
    Date.now(),
  );
  await store.transition(id, ['draft'], 'sending', Date.now());
  return { emails, id, store };
}

describe('two instances on one PostgreSQL', () => {
  it('share one announcement: each recipient once', async () => {
    const smtp = await startSmtpCatcher();
    cleanups.push(() => smtp.stop());
    const second = await openTestDatabase(current.storage);
    cleanups.push(() => second.close());
    const { emails, id, store } = await announce(current.database, 300);
    sender(current.database, smtp.url, { rate: 0 });
    sender(second, smtp.url, { rate: 0 });
    await expect.poll(async () => (await store.get(id))?.status, { timeout: 150_000 }).toBe('sent');
    const recipients = smtp.mails.map((mail) => mail.to);
    expect(recipients).toHaveLength(300);
    expect(new Set(recipients)).toEqual(new Set(emails));
  }, 200_000);

  it('keep to one hourly cap between them', async () => {
    const smtp = await startSmtpCatcher();
    cleanups.push(() => smtp.stop());
    const second = await openTestDatabase(current.storage);
    cleanups.push(() => second.close());
    const { id, store } = await announce(current.database, 60);
    sender(current.database, smtp.url, { rate: 0, hourlyCap: 25 });
    sender(second, smtp.url, { rate: 0, hourlyCap: 25 });
    await expect.poll(async () => (await store.get(id))?.sent, { timeout: 30_000 }).toBe(25);
    // Both keep polling every 20 ms: plenty of rounds in which either could overstep the cap.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(smtp.mails).toHaveLength(25);
    expect(await store.get(id)).toMatchObject({ recipients: 60, sent: 25, status: 'sending' });
  });
});
