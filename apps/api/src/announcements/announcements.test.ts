import { afterEach, describe, expect, it } from 'vitest';
import { type MailTestServer, startMailTestServer } from '../test-support/mail-server.js';
import type { CaughtMail } from '../test-support/smtp-catcher.js';
import {
  listEmails,
  startTestServer,
  TEST_BACKEND,
  type TestServer,
} from '../test-support/test-server.js';
import type { AnnouncePace } from './announcement-store.js';

// docs/http-api.md, "Announcements": drafts, previews, a test mail, and sends through a real SMTP
// server, on SQLite and on PostgreSQL.

const PASSWORD = 'correct horse battery staple';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mailServer(announcePace?: AnnouncePace) {
  const server = await startMailTestServer(
    { adminPassword: PASSWORD },
    announcePace ? { announcePace } : {},
  );
  cleanups.push(() => server.cleanup());
  return server;
}

async function adminOf(server: TestServer) {
  const admin = server.browser();
  await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  return admin;
}

type Admin = Awaited<ReturnType<typeof adminOf>>;

const english = { language: 'en', subject: 'Kittens!', body: 'We have **news**.' };

async function draft(admin: Admin, messages: object[] = [english]) {
  const created = await admin.post('/api/admin/announcements').send({ messages });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** `n` confirmed subscribers `reader0000@example.com`..., `language` picking each one's. */
async function seed(
  server: TestServer,
  n: number,
  language: (i: number) => string | null = () => null,
) {
  const rows = Array.from({ length: n }, (_, i) => ({
    email: `reader${String(i).padStart(4, '0')}@example.com`,
    created_at: Date.now(),
    owner_hash: null,
    confirmed_at: Date.now(),
    language: language(i),
  }));
  for (let i = 0; i < rows.length; i += 250) {
    await server.database.db
      .insertInto('subscribers')
      .values(rows.slice(i, i + 250))
      .execute();
  }
  return rows.map((row) => row.email);
}

async function progress(admin: Admin, id: string) {
  const answer = await admin.get(`/api/admin/announcements/${id}`).expect(200);
  return answer.body as { status: string; progress: Record<string, number | boolean> };
}

/** Polls until `done` holds for the announcement (the test's own timeout bounds it). */
async function until(
  admin: Admin,
  id: string,
  done: (a: Awaited<ReturnType<typeof progress>>) => boolean,
) {
  for (;;) {
    const now = await progress(admin, id);
    if (done(now)) return now;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Waits until no mail of announcement `id` is on its way (none claimed and unrecorded) and every
 * recorded one has arrived: what is sent then stays as it is while nothing is sending.
 */
async function settled(server: MailTestServer, admin: Admin, id: string, arrived: () => number) {
  for (;;) {
    const { n } = await server.database.db
      .selectFrom('announcement_outbox')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('announcement_id', '=', Number(id))
      .where('state', '=', 'queued')
      // Claimed and not yet recorded (sent or failed put it back to 0), whatever its lease says.
      .where('claimed_until', '>', 0)
      .executeTakeFirstOrThrow();
    const now = await progress(admin, id);
    if (Number(n) === 0 && now.progress.sent === arrived()) return now;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const recipients = (mails: CaughtMail[]) => mails.map((mail) => mail.to);
const countsOf = (list: string[]) =>
  list.reduce(
    (counts, item) => counts.set(item, (counts.get(item) ?? 0) + 1),
    new Map<string, number>(),
  );

describe(`announcements (${TEST_BACKEND})`, () => {
  it('writes, lists, previews and throws away drafts; only the admin', async () => {
    const server = await startTestServer({ adminPassword: PASSWORD });
    cleanups.push(() => server.cleanup());
    expect((await server.request().get('/api/admin/announcements')).status).toBe(401);
    const admin = await adminOf(server);

    // Versions must be in the site's languages, each once.
    const refused = [
      [],
      [{ ...english, language: 'xx' }],
      [english, { ...english, subject: 'Again' }],
      [{ ...english, subject: '' }],
    ];
    for (const messages of refused) {
      const answer = await admin.post('/api/admin/announcements').send({ messages });
      expect(answer.status, JSON.stringify(messages)).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    }

    // A long text (over the 16 KiB of other bodies) is fine; over the body limit is 413.
    const long = await admin
      .post('/api/admin/announcements')
      .send({ messages: [{ ...english, body: 'x'.repeat(100_000) }] });
    expect(long.status).toBe(201);
    await admin.delete(`/api/admin/announcements/${long.body.id}`).expect(204);
    const huge = await admin
      .post('/api/admin/announcements')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ messages: [{ ...english, body: 'x'.repeat(3 * 1024 * 1024) }] }));
    expect(huge.status).toBe(413);

    const first = await draft(admin);
    const german = { language: 'de', subject: 'Kätzchen!', body: 'Wir haben *Neuigkeiten*.' };
    const second = await draft(admin, [english, german]);
    const got = await admin.get(`/api/admin/announcements/${second}`).expect(200);
    expect(got.body).toMatchObject({
      id: second,
      status: 'draft',
      messages: [english, german],
      startedAt: null,
      finishedAt: null,
      progress: { recipients: 0, waiting: 0, sent: 0, failed: 0, skipped: 0, unsubscribed: 0 },
    });

    // Newest first, a page at a time.
    const page = await admin.get('/api/admin/announcements?limit=1').expect(200);
    expect(page.body.items.map((item: { id: string }) => item.id)).toEqual([second]);
    expect(page.body.items[0].subject).toBe('Kittens!');
    const next = await admin.get(`/api/admin/announcements?limit=1&before=${page.body.nextBefore}`);
    expect(next.body).toMatchObject({ items: [{ id: first }], nextBefore: null });

    // A draft's text changes; the change is what is previewed.
    const hostile = {
      language: 'en',
      subject: 'Hello <b>there</b>',
      body: 'Hi <script>alert(1)</script>\n\n[click](javascript:alert(1)) [site](https://cats.example/a?b=1) ![cat](https://cats.example/cat.png)',
    };
    const updated = await admin
      .post(`/api/admin/announcements/${first}`)
      .send({ messages: [hostile] });
    expect(updated.status).toBe(200);
    expect(updated.body.messages).toEqual([hostile]);

    const preview = await admin.get(`/api/admin/announcements/${first}/preview`).expect(200);
    expect(preview.body.subject).toBe('Hello <b>there</b>');
    expect(preview.body.html).not.toContain('<script');
    expect(preview.body.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(preview.body.html).not.toContain('href="javascript:');
    expect(preview.body.html).toContain('href="https://cats.example/a?b=1"');
    expect(preview.body.html).toMatch(
      /<img src="https:\/\/cats.example\/cat.png" alt="cat" style="max-width:100%/,
    );
    expect(preview.body.html).toContain('<title>Hello &lt;b&gt;there&lt;/b&gt;</title>');
    // The text part is the Markdown as written, with the way out.
    expect(preview.body.text).toContain('[site](https://cats.example/a?b=1)');
    expect(preview.body.text).toContain('/unsubscribe?token=');
    const de = await admin.get(`/api/admin/announcements/${second}/preview?lang=de`).expect(200);
    expect(de.body).toMatchObject({ language: 'de', subject: 'Kätzchen!' });
    expect(de.body.html).toContain('<em>Neuigkeiten</em>');
    expect((await admin.get(`/api/admin/announcements/${second}/preview?lang=fr`)).status).toBe(
      400,
    );

    // The page for the admin's preview frame: the mail's styles, no script, framed by this site.
    const page2 = await admin.get(`/api/admin/announcements/${first}/preview.html`).expect(200);
    expect(page2.headers['content-type']).toMatch(/^text\/html/);
    expect(page2.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
    );
    expect(page2.text).toBe(preview.body.html);
    expect(
      (await server.request().get(`/api/admin/announcements/${first}/preview.html`)).status,
    ).toBe(401);

    // Without MAIL_URL nothing can be sent.
    const test = await admin
      .post(`/api/admin/announcements/${first}/test`)
      .send({ email: 'me@example.com' });
    expect(test.status).toBe(503);
    expect(test.body.error.code).toBe('mail_disabled');
    const send = await admin.post(`/api/admin/announcements/${first}/send`);
    expect(send.status).toBe(503);
    expect(send.body.error.code).toBe('mail_disabled');

    // Unknown ids; a draft thrown away is gone.
    for (const id of ['999', 'abc', '0']) {
      const answer = await admin.get(`/api/admin/announcements/${id}`);
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('announcement_not_found');
    }
    await admin.delete(`/api/admin/announcements/${first}`).expect(204);
    expect((await admin.get(`/api/admin/announcements/${first}`)).status).toBe(404);
    expect((await admin.delete(`/api/admin/announcements/${first}`)).status).toBe(404);
  });

  it('moves only from the states an action applies to (409 otherwise)', async () => {
    const server = await mailServer({ rate: 0, hourlyCap: 1 });
    const admin = await adminOf(server);
    await seed(server, 3);
    const id = await draft(admin);
    const state = async (action: string, status: number, method: 'post' | 'delete' = 'post') => {
      const answer = await admin[method](
        action === 'delete'
          ? `/api/admin/announcements/${id}`
          : `/api/admin/announcements/${id}/${action}`,
      );
      expect(answer.status, action).toBe(status);
      if (status === 409) expect(answer.body.error.code).toBe('announcement_state');
      return answer.body;
    };
    await state('pause', 409);
    await state('resume', 409);
    await state('cancel', 409);
    expect(await state('send', 200)).toMatchObject({ status: 'sending' });
    expect((await progress(admin, id)).status).toBe('sending');
    await state('send', 409);
    await state('resume', 409);
    await state('delete', 409, 'delete');
    const edit = await admin.post(`/api/admin/announcements/${id}`).send({ messages: [english] });
    expect(edit.status).toBe(409);
    expect(await state('pause', 200)).toMatchObject({ status: 'paused' });
    await state('pause', 409);
    expect(await state('resume', 200)).toMatchObject({ status: 'sending' });
    expect(await state('cancel', 200)).toMatchObject({ status: 'cancelled' });
    await state('cancel', 409);
    await state('resume', 409);
    await state('delete', 409, 'delete');
    const done = await progress(admin, id);
    expect(done.progress.waiting).toBe(0);
    expect(typeof (await admin.get(`/api/admin/announcements/${id}`)).body.finishedAt).toBe(
      'string',
    );
    // Nothing can be sent to whoever is not on the list: the test mail is its own thing.
    const test = await admin
      .post(`/api/admin/announcements/${id}/test`)
      .send({ email: 'not an address' });
    expect(test.status).toBe(400);
    expect(test.body.error.code).toBe('invalid_email');
  });

  it('sends a test mail to one address, as a recipient gets it', async () => {
    const server = await mailServer();
    const admin = await adminOf(server);
    const id = await draft(admin, [
      english,
      { language: 'fr', subject: 'Chatons !', body: 'Du *neuf*.' },
    ]);
    await admin
      .post(`/api/admin/announcements/${id}/test?lang=fr`)
      .send({ email: ' Me@Example.com ' })
      .expect(204);
    const [mail] = await server.smtp.waitFor(1);
    expect(mail?.to).toBe('me@example.com');
    expect(mail?.subject).toBe('Chatons !');
    expect(mail?.header('content-language')).toBe('fr');
    expect(mail?.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail?.listUnsubscribe).toMatch(/\/api\/unsubscribe\?token=/);
    // Still a draft: a test sends nothing else.
    expect((await progress(admin, id)).status).toBe('draft');
  });

  it('sends to 1,000 subscribers each once, in their language, each with a working way out', {
    timeout: 300_000,
  }, async () => {
    const server = await mailServer();
    const admin = await adminOf(server);
    const languages = ['en', 'de', null, 'fr'];
    const list = await seed(server, 1000, (i) => languages[i % 4] ?? null);
    // Not confirmed: not a recipient.
    await server.database.db
      .insertInto('subscribers')
      .values({
        email: 'unconfirmed@example.com',
        created_at: Date.now(),
        owner_hash: null,
        confirmed_at: null,
      })
      .execute();
    const id = await draft(admin, [
      english,
      { language: 'de', subject: 'Kätzchen!', body: 'Neues.' },
    ]);
    const started = await admin.post(`/api/admin/announcements/${id}/send`).expect(200);
    expect(started.body.status).toBe('sending');
    expect(typeof started.body.startedAt).toBe('string');

    const done = await until(admin, id, (a) => a.status === 'sent');
    expect(done.progress).toEqual({
      recipients: 1000,
      queueingDone: true,
      waiting: 0,
      sent: 1000,
      failed: 0,
      skipped: 0,
      unsubscribed: 0,
    });
    const mails = server.smtp.mails;
    expect(mails).toHaveLength(1000);
    const counts = countsOf(recipients(mails));
    expect([...counts.keys()].sort()).toEqual(list);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // German readers get the German version; everyone else the first (no French version).
    for (const mail of mails) {
      const i = Number(mail.to.slice('reader'.length, 'reader'.length + 4));
      expect(mail.subject, mail.to).toBe(i % 4 === 1 ? 'Kätzchen!' : 'Kittens!');
      expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    }

    // Each link is the recipient's own: a mail provider's one-click POST takes that address off,
    // and the announcement counts it.
    for (const mail of mails.slice(0, 3)) {
      const link = new URL(mail.listUnsubscribe);
      expect(link.searchParams.get('announcement')).toBe(id);
      const answer = await fetch(link, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { email: string }).email).toBe(mail.to);
    }
    const gone = new Set(mails.slice(0, 3).map((mail) => mail.to));
    const left = await listEmails(server.database);
    expect(left).toHaveLength(998);
    expect(left.some((email) => gone.has(email))).toBe(false);
    // A second click changes nothing more.
    await fetch(new URL(mails[0]?.listUnsubscribe ?? ''), { method: 'POST' });
    const history = await admin.get('/api/admin/announcements').expect(200);
    expect(history.body.items[0]).toMatchObject({
      id,
      status: 'sent',
      subject: 'Kittens!',
      progress: { sent: 1000, unsubscribed: 3 },
    });
  });

  it('pauses, resumes, skips those who left meanwhile, and cancels for good', {
    timeout: 300_000,
  }, async () => {
    // 40 a second: slow enough to act mid-send.
    const server = await mailServer({ rate: 40 });
    const admin = await adminOf(server);
    const list = await seed(server, 120);
    const id = await draft(admin);
    await admin.post(`/api/admin/announcements/${id}/send`).expect(200);
    await server.smtp.waitFor(10);
    await admin.post(`/api/admin/announcements/${id}/pause`).expect(200);
    // Mails on their way when it paused still go; then nothing more.
    const paused = await settled(server, admin, id, () => server.smtp.mails.length);
    expect(paused.status).toBe('paused');
    const sentBefore = server.smtp.mails.length;
    expect(sentBefore).toBeLessThan(120);
    // Five who were not mailed yet leave the list: removed by the admin, one as a complaint.
    const mailed = new Set(recipients(server.smtp.mails));
    const leaving = list.filter((email) => !mailed.has(email)).slice(-5);
    for (const [i, email] of leaving.entries()) {
      const as = i === 0 ? '?as=complaint' : '';
      await admin.delete(`/api/admin/subscribers/${encodeURIComponent(email)}${as}`).expect(204);
    }
    expect(server.smtp.mails.length).toBe(sentBefore);

    await admin.post(`/api/admin/announcements/${id}/resume`).expect(200);
    const done = await until(admin, id, (a) => a.status === 'sent');
    expect(done.progress).toMatchObject({ recipients: 120, sent: 115, skipped: 5, waiting: 0 });
    const counts = countsOf(recipients(server.smtp.mails));
    expect(counts.size).toBe(115);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(leaving.some((email) => counts.has(email))).toBe(false);

    // Cancel: what left stays sent, the rest is dropped and never goes.
    const second = await draft(admin, [{ ...english, subject: 'Second' }]);
    await admin.post(`/api/admin/announcements/${second}/send`).expect(200);
    const secondMails = () => server.smtp.mails.filter((mail) => mail.subject === 'Second');
    while (secondMails().length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    await admin.post(`/api/admin/announcements/${second}/cancel`).expect(200);
    const cancelled = await settled(server, admin, second, () => secondMails().length);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.progress.waiting).toBe(0);
    expect(cancelled.progress.sent).toBeLessThan(115);
    const history = await admin.get('/api/admin/announcements').expect(200);
    expect(history.body.items.map((item: { status: string }) => item.status)).toEqual([
      'cancelled',
      'sent',
    ]);
  });

  it('lets no more than the hourly cap leave', async () => {
    const server = await mailServer({ rate: 0, hourlyCap: 7 });
    const admin = await adminOf(server);
    await seed(server, 20);
    const id = await draft(admin);
    await admin.post(`/api/admin/announcements/${id}/send`).expect(200);
    await until(admin, id, (a) => a.progress.sent === 7 && a.progress.queueingDone === true);
    // The sender keeps polling (every 50 ms here): give it many rounds to overstep the cap.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await progress(admin, id);
    expect(now.progress).toMatchObject({ recipients: 20, sent: 7, waiting: 13 });
    expect(server.smtp.mails).toHaveLength(7);
    expect(now.status).toBe('sending');
  });
});
