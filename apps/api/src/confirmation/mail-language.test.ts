import { afterEach, describe, expect, it } from 'vitest';
import { type MailTestServer, startMailTestServer } from '../test-support/mail-server.js';
import { type CaughtMail, linkIn, startSmtpCatcher } from '../test-support/smtp-catcher.js';
import { startTestServer, TEST_BACKEND, type TestStorage } from '../test-support/test-server.js';
import { createMailOutbox } from './mail-outbox.js';

// docs/http-api.md, "Languages": a visitor's mails are in the language their signup was answered
// in, kept with the queued mail; real mails through a real SMTP server, on SQLite and PostgreSQL.

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(overrides: Parameters<typeof startMailTestServer>[0] = {}) {
  const server = await startMailTestServer(overrides);
  cleanups.push(() => server.cleanup());
  return server;
}

/** The words a mail is in: its headers' and both parts'. */
function expectLanguage(mail: CaughtMail | undefined, lang: string) {
  expect(mail?.header('content-language')).toBe(lang);
  expect(mail?.html).toContain(`<html lang="${lang}">`);
}

async function confirmIn(server: MailTestServer, mail: CaughtMail | undefined) {
  const link = linkIn(mail?.text ?? '', `${server.url}/confirm?token=`);
  const token = new URL(link).searchParams.get('token') ?? '';
  await server.browser().post('/api/confirm').send({ token }).expect(200);
}

describe(`mails in the signup's language (${TEST_BACKEND})`, () => {
  it('sends the confirmation in German to a signup made with Accept-Language: de', async () => {
    const server = await start();
    await server
      .browser()
      .post('/api/signup')
      .set('Accept-Language', 'de-CH, de;q=0.9, en;q=0.5')
      .send({ email: 'katze@example.com' })
      .expect(200);
    const [mail] = await server.smtp.waitFor(1);
    expectLanguage(mail, 'de');
    expect(mail?.subject).toBe('Bitte bestätige deine Anmeldung bei Cats Everywhere');
    expect(mail?.text).toContain('Anmeldung bestätigen:');
    expect(mail?.text).toContain('Der Link gilt 48 Stunden.');
    expect(mail?.text).toContain('Um die Liste zu verlassen');
    expect(mail?.html).toContain('>Anmeldung bestätigen</a>');
    expect(mail?.html).toContain('Oder öffne diesen Link:');
    expect(mail?.html).toContain('>Abmelden</a>');
    // The link in it works like any other.
    await confirmIn(server, mail);
  });

  it('sends "already on the list" in French to a form signup from a French visitor', async () => {
    const server = await start();
    await server.browser().post('/api/signup').send({ email: 'chat@example.com' }).expect(200);
    const [first] = await server.smtp.waitFor(1);
    // No Accept-Language, no chosen language: the site's default, English.
    expectLanguage(first, 'en');
    expect(first?.subject).toBe('Please confirm your subscription to Cats Everywhere');
    await confirmIn(server, first);

    // The language chooser's cookie on the HTML form (POST /subscribe) wins over the header.
    await server
      .browser()
      .post('/subscribe')
      .set('Cookie', 'lang=fr')
      .set('Accept-Language', 'es')
      .type('form')
      .send({ email: 'chat@example.com' })
      .expect(200);
    const mails = await server.smtp.waitFor(2);
    const already = mails[1];
    expectLanguage(already, 'fr');
    expect(already?.subject).toBe('Vous êtes déjà sur la liste de Cats Everywhere');
    expect(already?.text).toContain('chat@example.com est déjà sur la liste de Cats Everywhere');
    expect(already?.text).toContain('Pour quitter la liste, ou ne plus recevoir ces messages :');
    expect(already?.html).toContain('>Se désabonner</a>');
  });

  it('keeps the language with the queued mail: another instance sends it later, still German', async () => {
    const smtp = await startSmtpCatcher();
    cleanups.push(() => smtp.stop());
    // An instance that queues but never drains (it stops before its drainer would run).
    const queuing = await startTestServer({
      confirmation: {
        mailUrl: smtp.url,
        from: 'Cats Everywhere <news@example.com>',
        publicUrl: 'http://127.0.0.1:1',
      },
    });
    const storage: TestStorage = queuing.storage;
    cleanups.push(() => storage.remove());
    await queuing
      .request()
      .post('/api/signup')
      .set('Accept-Language', 'de')
      .send({ email: 'katze@example.com' })
      .expect(200);
    expect(await createMailOutbox(queuing.database).unsent()).toBe(1);
    await queuing.stop();
    expect(smtp.mails).toHaveLength(0);

    // A fresh process on the same database drains it: the mail is in the signup's language.
    await smtp.stop();
    const sending = await start({ storage });
    const [mail] = await sending.smtp.waitFor(1);
    expectLanguage(mail, 'de');
    expect(mail?.subject).toBe('Bitte bestätige deine Anmeldung bei Cats Everywhere');
  });

  it('sends a mail whose language the site no longer enables in the default language', async () => {
    const smtp = await startSmtpCatcher();
    cleanups.push(() => smtp.stop());
    const queuing = await startTestServer({
      confirmation: { mailUrl: smtp.url, from: 'x <news@example.com>', publicUrl: 'http://x' },
    });
    const storage = queuing.storage;
    cleanups.push(() => storage.remove());
    await queuing
      .request()
      .post('/api/signup')
      .set('Accept-Language', 'de')
      .send({ email: 'katze@example.com' })
      .expect(200);
    await queuing.stop();
    await smtp.stop();

    // The operator has since dropped German, and made Spanish the default.
    const sending = await start({
      storage,
      site: {
        name: 'Gatos',
        tagline: '',
        privacyUrl: null,
        languages: ['es', 'en'],
        defaultLanguage: 'es',
      },
    });
    const [mail] = await sending.smtp.waitFor(1);
    expectLanguage(mail, 'es');
    expect(mail?.subject).toBe('Confirma tu suscripción a Gatos');
  });
});
