import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpCatcher } from '../test-support/smtp-catcher.js';
import { type SpawnedServer, spawnServer } from '../test-support/spawn-server.js';
import {
  createTestStorage,
  storageUrl,
  TEST_BACKEND,
  type TestStorage,
} from '../test-support/test-server.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(storage: TestStorage, smtpUrl: string): Promise<SpawnedServer> {
  const server = await spawnServer({
    DATABASE_URL: storageUrl(storage),
    NODE_ENV: 'production',
    SESSION_KEYS: 'mail-crash-safety-test-key-0123456789abcdef',
    LOG_LEVEL: 'info',
    MAIL_URL: smtpUrl,
    MAIL_FROM: 'Cats Everywhere <news@example.com>',
    PUBLIC_URL: 'https://signup.example.com',
    MAIL_RETRY_MS: '200',
  });
  cleanups.push(async () => {
    server.child.kill('SIGKILL');
    await server.exited;
  });
  return server;
}

describe(`mail across a crash (${TEST_BACKEND})`, () => {
  it('sends a mail queued before a SIGKILL once the server is back', async () => {
    const storage = await createTestStorage();
    cleanups.push(() => storage.remove());
    const smtp = await startSmtpCatcher();
    cleanups.push(() => smtp.stop());
    await smtp.stop(); // the SMTP server is down: nothing can leave before the kill

    const first = await start(storage, smtp.url);
    const emails = ['cat0@example.com', 'cat1@example.com', 'cat2@example.com'];
    for (const email of emails) {
      const response = await fetch(`${first.url}/api/signup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      expect(await response.json()).toEqual({ email, subscribed: false, pending: true });
    }
    first.child.kill('SIGKILL');
    await first.exited;
    expect(smtp.mails).toHaveLength(0);

    await smtp.start();
    await start(storage, smtp.url);
    const mails = await smtp.waitFor(3);
    expect(new Set(mails.map((mail) => mail.to))).toEqual(new Set(emails));
    expect(mails.every((mail) => mail.text.includes('/confirm?token='))).toBe(true);
  });

  it('refuses to start with a partial mail configuration, naming what is missing', async () => {
    const storage = await createTestStorage();
    cleanups.push(() => storage.remove());
    const server = await spawnServer(
      {
        DATABASE_URL: storageUrl(storage),
        SESSION_KEYS: 'mail-crash-safety-test-key-0123456789abcdef',
        MAIL_URL: 'smtp://127.0.0.1:2525',
      },
      { waitForListening: false },
    );
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/MAIL_FROM: required with MAIL_URL/);
    expect(server.output()).toMatch(/PUBLIC_URL: required with MAIL_URL/);
  });
});
