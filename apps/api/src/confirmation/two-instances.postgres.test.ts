import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/open-database.js';
import { SigningKeys } from '../session/signing-keys.js';
import { newOwnerToken } from '../stores/owner-token.js';
import { useTestDatabase } from '../test-support/per-test.js';
import { startSmtpCatcher } from '../test-support/smtp-catcher.js';
import { openTestDatabase, TEST_SESSION_KEY } from '../test-support/test-server.js';
import { createConfirmationStore } from './confirmation-store.js';
import { createMailOutbox } from './mail-outbox.js';
import { createMailTransport } from './mail-transport.js';
import { OutboxDrainer } from './outbox-drainer.js';

const current = useTestDatabase();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function drainer(database: DatabaseHandle, smtpUrl: string) {
  const drain = new OutboxDrainer({
    outbox: createMailOutbox(database),
    transport: createMailTransport(smtpUrl),
    keys: new SigningKeys([TEST_SESSION_KEY]),
    settings: {
      from: 'Cats Everywhere <news@example.com>',
      publicUrl: 'https://signup.example.com',
      siteName: 'Cats Everywhere',
    },
    logger: pino({ level: 'silent' }),
    // A lease (8 × this) far longer than a send on the loopback: any duplicate would be a bug.
    retryBaseMs: 1000,
    pollMs: 20,
  });
  drain.start();
  cleanups.push(() => drain.stop());
}

describe('two instances on one PostgreSQL', () => {
  it('send each mail once', async () => {
    const smtp = await startSmtpCatcher();
    cleanups.push(() => smtp.stop());
    // A second instance: its own pool on the same database, draining the same outbox.
    const second = await openTestDatabase(current.storage);
    cleanups.push(() => second.close());
    drainer(current.database, smtp.url);
    drainer(second, smtp.url);
    const store = createConfirmationStore(current.database);
    const count = 30;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        store.request(`cat${i}@example.com`, 'confirm', newOwnerToken(), Date.now(), 'en'),
      ),
    );
    await smtp.waitFor(count);
    await expect.poll(() => createMailOutbox(current.database).unsent()).toBe(0);
    const recipients = smtp.mails.map((mail) => mail.to);
    expect(recipients).toHaveLength(count);
    expect(new Set(recipients).size).toBe(count);
  });
});
