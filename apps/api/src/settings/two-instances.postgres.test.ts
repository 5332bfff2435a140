import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestStorage,
  startTestServer,
  type TestServer,
} from '../test-support/test-server.js';

// Several instances serve one PostgreSQL database: a save on one shows on every other within
// about a second (settings/live-site.ts), with no restart; the default age of the copy here.

const PASSWORD = 'correct horse battery staple';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('site settings on two instances of one PostgreSQL', () => {
  it('a save on one shows on the other: the site, the texts and the form pages', async () => {
    const storage = await createTestStorage();
    cleanups.push(() => storage.remove());
    const servers: TestServer[] = [];
    for (let i = 0; i < 2; i++) {
      const server = await startTestServer({
        storage,
        adminPassword: PASSWORD,
        site: { name: 'Bake Club', tagline: '', privacyUrl: null, languages: ['en', 'de'] },
      });
      cleanups.push(() => server.stop());
      servers.push(server);
    }
    const [one, other] = servers as [TestServer, TestServer];
    // The other instance has read (and keeps a copy of) the settings before the save.
    expect((await other.request().get('/api/site').expect(200)).body.name).toBe('Bake Club');

    const admin = one.browser();
    await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
    await admin
      .post('/api/admin/settings')
      .send({
        name: 'Backclub Nord',
        tagline: null,
        privacyUrl: null,
        accentColor: '#5a0d7a',
        showCount: false,
        texts: { de: { submit: 'Mitbacken' } },
      })
      .expect(200);
    // The instance that saved shows it at once.
    expect((await one.request().get('/api/site').expect(200)).body.name).toBe('Backclub Nord');

    await expect
      .poll(async () => (await other.request().get('/api/site')).body, { timeout: 10_000 })
      .toMatchObject({ name: 'Backclub Nord', showCount: false, accentColor: '#5a0d7a' });
    const texts = await other.request().get('/api/texts?lang=de').expect(200);
    expect(texts.body.texts.submit).toBe('Mitbacken');
    const page = await other
      .browser()
      .post('/subscribe')
      .type('form')
      .set('Accept-Language', 'de')
      .send({ email: 'nope' })
      .expect(400);
    expect(page.text).toContain('>Mitbacken</button>');
    expect(page.text).toContain('Backclub Nord');
  });
});
