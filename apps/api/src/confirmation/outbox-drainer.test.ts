import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/open-database.js';
import { SigningKeys } from '../session/signing-keys.js';
import { newOwnerToken } from '../stores/owner-token.js';
import { useTestDatabase } from '../test-support/per-test.js';
import { linkIn, type SmtpCatcher, startSmtpCatcher } from '../test-support/smtp-catcher.js';
import { TEST_BACKEND, TEST_SESSION_KEY } from '../test-support/test-server.js';
import { createConfirmationStore } from './confirmation-store.js';
import { createMailOutbox } from './mail-outbox.js';
import { createMailTransport } from './mail-transport.js';
import { OutboxDrainer, retryDelay } from './outbox-drainer.js';
import { readUnsubscribeToken } from './unsubscribe-token.js';

const SETTINGS = {
  from: 'Cats Everywhere <news@example.com>',
  publicUrl: 'https://signup.example.com',
  siteName: 'Cats Everywhere',
};
const current = useTestDatabase();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function catcher(port = 0): Promise<SmtpCatcher> {
  const smtp = await startSmtpCatcher(port);
  cleanups.push(() => smtp.stop());
  return smtp;
}

function drainer(database: DatabaseHandle, smtpUrl: string, keys = [TEST_SESSION_KEY]) {
  const drain = new OutboxDrainer({
    outbox: createMailOutbox(database),
    transport: createMailTransport(smtpUrl),
    keys: new SigningKeys(keys),
    settings: SETTINGS,
    logger: pino({ level: 'silent' }),
    retryBaseMs: 100,
    pollMs: 50,
  });
  drain.start();
  cleanups.push(() => drain.stop());
  return drain;
}

const request = (email: string, kind: 'confirm' | 'already-subscribed' = 'confirm') =>
  createConfirmationStore(current.database).request(email, kind, newOwnerToken(), Date.now(), 'en');

describe(`outbox drainer over real SMTP (${TEST_BACKEND})`, () => {
  it('sends a plain, two-part mail with the link, the reason and RFC 8058 headers', async () => {
    const smtp = await catcher();
    drainer(current.database, smtp.url);
    await request('cat@example.com');
    await request('dog@example.com', 'already-subscribed');
    const mails = await smtp.waitFor(2);
    const confirm = mails.find((mail) => mail.to === 'cat@example.com');
    const notice = mails.find((mail) => mail.to === 'dog@example.com');
    expect(confirm?.subject).toBe('Please confirm your subscription to Cats Everywhere');
    expect(confirm?.text).toContain('Cats Everywhere');
    expect(confirm?.text).toContain('because someone, probably you, entered cat@example.com');
    const link = linkIn(confirm?.text ?? '', 'https://signup.example.com/confirm?token=');
    expect(confirm?.html).toContain(`href="${link}"`);
    expect(confirm?.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const oneClick = new URL(confirm?.listUnsubscribe ?? '');
    expect(oneClick.origin + oneClick.pathname).toBe('https://signup.example.com/api/unsubscribe');
    const keys = new SigningKeys([TEST_SESSION_KEY]);
    expect(readUnsubscribeToken(keys, oneClick.searchParams.get('token') ?? '')).toBe(
      'cat@example.com',
    );
    expect(notice?.subject).toBe('You are already on the Cats Everywhere list');
    expect(notice?.text).not.toContain('/confirm?token=');
    expect(notice?.text).toContain('https://signup.example.com/unsubscribe?token=');
    await expect.poll(() => createMailOutbox(current.database).unsent()).toBe(0);
  });

  it('loses nothing while the SMTP server is down, and sends it all once it is back', async () => {
    const smtp = await catcher();
    await smtp.stop();
    drainer(current.database, smtp.url);
    for (let i = 0; i < 3; i++) await request(`cat${i}@example.com`);
    const outbox = createMailOutbox(current.database);
    // Tried and failed at least once each, still queued.
    await expect
      .poll(async () =>
        (await current.database.db.selectFrom('mail_outbox').select('attempts').execute()).every(
          (row) => Number(row.attempts) >= 1,
        ),
      )
      .toBe(true);
    expect(await outbox.unsent()).toBe(3);
    expect(smtp.mails).toHaveLength(0);
    await smtp.start();
    const mails = await smtp.waitFor(3);
    expect(mails.map((mail) => mail.to).sort()).toEqual([
      'cat0@example.com',
      'cat1@example.com',
      'cat2@example.com',
    ]);
    await expect.poll(() => outbox.unsent()).toBe(0);
  });

  it('signs unsubscribe links with the newest key; they keep working after a rotation', async () => {
    const smtp = await catcher();
    const oldKey = 'an-old-session-key-0123456789abcdefghij';
    drainer(current.database, smtp.url, [oldKey]);
    await request('cat@example.com');
    const [mail] = await smtp.waitFor(1);
    const token = new URL(mail?.listUnsubscribe ?? '').searchParams.get('token') ?? '';
    expect(readUnsubscribeToken(new SigningKeys([TEST_SESSION_KEY, oldKey]), token)).toBe(
      'cat@example.com',
    );
    expect(readUnsubscribeToken(new SigningKeys([TEST_SESSION_KEY]), token)).toBeNull();
    expect(readUnsubscribeToken(new SigningKeys([oldKey]), `${token}x`)).toBeNull();
  });

  it('upgrades to TLS with STARTTLS when the SMTP server offers it', async () => {
    const smtp = await startSmtpCatcher(0, { starttls: true });
    cleanups.push(() => smtp.stop());
    // The test server's certificate is self-signed; nodemailer reads tls.* from the URL.
    drainer(current.database, `${smtp.url}?tls.rejectUnauthorized=false`);
    await request('cat@example.com');
    const [mail] = await smtp.waitFor(1);
    expect(mail?.secure).toBe(true);
    expect(mail?.to).toBe('cat@example.com');
  });

  it('waits longer after each failure: within 30 s first, never more than 10 minutes', () => {
    for (let i = 0; i < 50; i++) {
      expect(retryDelay(1)).toBeLessThanOrEqual(30_000);
      expect(retryDelay(2)).toBeGreaterThan(retryDelay(1) / 3);
      expect(retryDelay(40)).toBeLessThanOrEqual(10 * 60 * 1000);
    }
    expect(retryDelay(40)).toBeGreaterThan(5 * 60 * 1000);
  });
});
