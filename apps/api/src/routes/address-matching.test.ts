import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSubscriberStore } from '../stores/subscriber-store.js';
import { listEmails, startTestServer, type TestServer } from '../test-support/test-server.js';

// How every route finds an address: normalised the one way (trim, lower case, NFC) wherever an
// address comes in, matched exactly (never as a pattern) wherever one is looked up or removed,
// and, for unregister, taken from the session alone. Every case runs on SQLite and on PostgreSQL.

const PASSWORD = 'correct horse battery staple';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ adminPassword: PASSWORD });
});
afterEach(async () => {
  await server.cleanup();
});

type Browser = ReturnType<TestServer['browser']>;

async function signUp(browser: Browser, email: string) {
  return (await browser.post('/api/signup').send({ email }).expect(200)).body;
}

/** Puts addresses on the list as an import or the command line would: not through signup. */
async function seed(...emails: string[]) {
  const store = createSubscriberStore(server.database);
  for (const [i, email] of emails.entries()) await store.add(email, i + 1);
}

async function admin() {
  const browser = server.browser();
  await browser.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  return browser;
}

const deletePath = (email: string) => `/api/admin/subscribers/${encodeURIComponent(email)}`;
const emailsOf = (page: { items: { email: string }[] }) => page.items.map((item) => item.email);

describe('normalisation on every route that takes an address', () => {
  const spellings = [
    ['mixed case', 'Cat@Example.COM'],
    ['padding', ' \tcat@example.com\n '],
    ['mixed case and padding', '  CAT@EXAMPLE.com  '],
  ];

  it.each(spellings)('signup stores %s once, in the normal spelling', async (_, given) => {
    const browser = server.browser();
    expect(await signUp(browser, given)).toEqual({ email: 'cat@example.com', subscribed: true });
    await signUp(server.browser(), 'cat@example.com');
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    expect((await browser.get('/api/session')).body).toEqual({
      email: 'cat@example.com',
      subscribed: true,
      admin: false,
    });
  });

  it('signup composes a decomposed address, so both spellings are one row', async () => {
    await signUp(server.browser(), 'jose\u0301@example.com');
    await signUp(server.browser(), 'JOS\u00c9@example.com');
    expect(await listEmails(server.database)).toEqual(['jos\u00e9@example.com']);
  });

  // An admin input refuses control characters (tab, newline): the admin pads with spaces.
  it.each([
    ['mixed case', 'Cat@Example.COM'],
    ['padding', '  cat@example.com '],
    ['mixed case and padding', ' CAT@EXAMPLE.com  '],
    ['a decomposed spelling', 'JOSE\u0301@example.com'],
  ])('the admin’s delete removes the stored address given in %s', async (_, given) => {
    const stored = given.trim().toLowerCase().normalize('NFC');
    await seed(stored, 'keep@example.com');
    await (await admin()).delete(deletePath(given)).expect(204);
    expect(await listEmails(server.database)).toEqual(['keep@example.com']);
  });

  it('the admin’s search finds the stored address from any spelling of it', async () => {
    await seed('cat@example.com', 'jos\u00e9@example.com', 'dog@example.com');
    const browser = await admin();
    for (const [q, expected] of [
      ['  CAT@Example.COM ', ['cat@example.com']],
      ['JOSE\u0301', ['jos\u00e9@example.com']],
    ] as const) {
      const page = await browser.get('/api/admin/subscribers').query({ q }).expect(200);
      expect(emailsOf(page.body)).toEqual(expected);
      expect(page.body.total).toBe(1);
    }
  });
});

describe('exact matching where an address is looked up or removed', () => {
  // `_` and `%` are LIKE's wildcards: `a_c` would also match `abc`, `a%c` would match `abxyc`.
  const wildcards = [
    ['_', 'a_c@example.com', ['abc@example.com', 'aXc@example.com']],
    ['%', 'a%c@example.com', ['abxyc@example.com', 'ac@example.com']],
  ] as const;
  // A signup refuses a backslash; a row from elsewhere can hold one, and it escapes in LIKE.
  const adminWildcards = [
    ...wildcards,
    ['\\', 'a\\c@example.com', ['a\\\\c@example.com', 'ac@example.com']],
  ] as const;

  it.each(adminWildcards)(
    'the admin’s delete of an address with %s removes it alone',
    async (_, email, lookAlikes) => {
      await seed(...lookAlikes, email);
      await (await admin()).delete(deletePath(email)).expect(204);
      expect(await listEmails(server.database)).toEqual([...lookAlikes].sort());
    },
  );

  it.each(adminWildcards)(
    'the admin’s delete of an address with %s that is not on the list is 404, removing nothing',
    async (_, email, lookAlikes) => {
      await seed(...lookAlikes);
      const response = await (await admin()).delete(deletePath(email));
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_on_list');
      expect(await listEmails(server.database)).toEqual([...lookAlikes].sort());
    },
  );

  it.each(wildcards)(
    'unregister of an address with %s removes it alone',
    async (_, email, lookAlikes) => {
      const owner = server.browser();
      await signUp(owner, email);
      await seed(...lookAlikes);
      expect((await owner.post('/api/unregister').expect(200)).body).toEqual({ removed: email });
      expect(await listEmails(server.database)).toEqual([...lookAlikes].sort());
    },
  );

  it.each(wildcards)(
    'unregister of an address with %s that left the list says so, removing no look-alike',
    async (_, email, lookAlikes) => {
      const owner = server.browser();
      await signUp(owner, email);
      await (await admin()).delete(deletePath(email)).expect(204);
      await seed(...lookAlikes);
      const response = await owner.post('/api/unregister');
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_on_list');
      expect(await listEmails(server.database)).toEqual([...lookAlikes].sort());
    },
  );

  it.each(wildcards)(
    'the session of an address with %s is not subscribed while only look-alikes are listed',
    async (_, email, lookAlikes) => {
      const visitor = server.browser();
      await signUp(visitor, email);
      await seed(...lookAlikes);
      await (await admin()).delete(deletePath(email)).expect(204);
      expect((await visitor.get('/api/session')).body).toEqual({
        email,
        subscribed: false,
        admin: false,
      });
    },
  );

  it('a signup of an address with a wildcard next to its look-alike adds a row of its own', async () => {
    await seed('abc@example.com');
    await signUp(server.browser(), 'a_c@example.com');
    expect(await listEmails(server.database)).toEqual(['a_c@example.com', 'abc@example.com']);
  });
});

describe('unregister takes nothing from the request', () => {
  const elsewhere: [string, (browser: Browser) => ReturnType<Browser['post']>][] = [
    ['the body', (b) => b.post('/api/unregister').send({ email: 'victim@example.com' })],
    ['a removed field', (b) => b.post('/api/unregister').send({ removed: 'victim@example.com' })],
    ['the query', (b) => b.post('/api/unregister?email=victim%40example.com')],
  ];

  it.each(elsewhere)(
    'removes the session’s own address, never one named in %s',
    async (_, unregister) => {
      await signUp(server.browser(), 'victim@example.com');
      const attacker = server.browser();
      await signUp(attacker, 'attacker@example.com');
      const response = await unregister(attacker);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ removed: 'attacker@example.com' });
      expect(await listEmails(server.database)).toEqual(['victim@example.com']);
    },
  );

  it.each(elsewhere)(
    'answers 409 to a session without an address that names one in %s, removing nothing',
    async (_, unregister) => {
      await signUp(server.browser(), 'victim@example.com');
      const response = await unregister(server.browser());
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('no_email_in_session');
      expect(await listEmails(server.database)).toEqual(['victim@example.com']);
    },
  );
});
