import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { MAX_LOGO_BYTES } from '@catlist/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { startMailTestServer } from '../test-support/mail-server.js';
import {
  makeTempDir,
  startTestServer,
  TEST_BACKEND,
  type TestServer,
} from '../test-support/test-server.js';

// docs/http-api.md, "The logo": uploaded from the admin, kept in the database, served under a URL
// that names its content; on SQLite and PostgreSQL.

const PASSWORD = 'correct horse battery staple';

/** A real 1×1 PNG (red): signature, IHDR, IDAT, IEND. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
/** The first bytes of a JPEG (SOI, then an APP0 marker) and of a WebP (RIFF, size, WEBP). */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 1)]);
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x24, 0, 0, 0]),
  Buffer.from('WEBPVP8 '),
  Buffer.alloc(40, 2),
]);
const SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
);

const servers: TestServer[] = [];
const temps: { remove: () => void }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.cleanup()));
  for (const temp of temps.splice(0)) temp.remove();
});

async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer({ adminPassword: PASSWORD, ...options });
  servers.push(server);
  return server;
}

async function loggedIn(server: TestServer) {
  const admin = server.browser();
  await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  return admin;
}

/** Sends `bytes` as the logo, logged in, and expects `status`. */
async function upload(server: TestServer, bytes: Buffer, type: string, status: number) {
  const admin = await loggedIn(server);
  return admin.post('/api/admin/logo').set('Content-Type', type).send(bytes).expect(status);
}

describe(`the logo (${TEST_BACKEND})`, () => {
  it('takes a PNG, serves it under its content hash with long caching, and names it in GET /api/site', async () => {
    const server = await start();
    expect((await server.request().get('/api/site')).body.logoUrl).toBeNull();

    const response = await upload(server, PNG, 'image/png', 200);
    const { logoUrl } = response.body as { logoUrl: string };
    expect(logoUrl).toMatch(/^\/logo\/[0-9a-f]{64}\.png$/);
    expect((await server.request().get('/api/site')).body.logoUrl).toBe(logoUrl);

    const served = await server.request().get(logoUrl).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // superagent keeps an image's body as its bytes.
    expect(Buffer.compare(served.body as Buffer, PNG)).toBe(0);
  });

  it.each([
    ['JPEG', JPEG, 'jpg', 'image/jpeg'],
    ['WebP', WEBP, 'webp', 'image/webp'],
  ])(
    'takes a %s, by its bytes whatever type the upload declared',
    async (_name, bytes, ext, type) => {
      const server = await start();
      // Declared as PNG (or as just bytes): the bytes decide, and the file is served as what it is.
      const response = await upload(server, bytes, 'image/png', 200);
      expect(response.body.logoUrl).toMatch(new RegExp(`^/logo/[0-9a-f]{64}\\.${ext}$`));
      const served = await server.request().get(response.body.logoUrl).expect(200);
      expect(served.headers['content-type']).toBe(type);

      const plain = await upload(server, bytes, 'application/octet-stream', 200);
      expect(plain.body.logoUrl).toBe(response.body.logoUrl);
    },
  );

  it('refuses SVG, by its declared type or by its content, and says why', async () => {
    const server = await start();
    for (const type of ['image/svg+xml', 'image/png']) {
      const response = await upload(server, SVG, type, 415);
      expect(response.body.error.code).toBe('svg_image');
      expect(response.body.error.message).toMatch(/scripts/);
    }
    expect((await server.request().get('/api/site')).body.logoUrl).toBeNull();
  });

  it('refuses what is not a PNG, JPEG or WebP, and what is not sent as an image', async () => {
    const server = await start();
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    const refusedGif = await upload(server, gif, 'image/gif', 415);
    expect(refusedGif.body.error).toMatchObject({
      code: 'unsupported_image',
      message: 'A logo must be a PNG, JPEG or WebP image.',
    });
    // A PNG's bytes cut short of its signature are not a PNG.
    await upload(server, PNG.subarray(0, 4), 'image/png', 415);
    await upload(server, Buffer.alloc(0), 'image/png', 415);
    const asText = await upload(server, PNG, 'text/plain', 415);
    expect(asText.body.error.code).toBe('unsupported_image');
    expect((await server.request().get('/api/site')).body.logoUrl).toBeNull();
  });

  it(`refuses a logo over ${MAX_LOGO_BYTES / 1024} KiB, declared or sent compressed`, async () => {
    const server = await start();
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_LOGO_BYTES + 1 - PNG.length)]);
    const declared = await upload(server, big, 'image/png', 413);
    expect(declared.body.error.code).toBe('payload_too_large');
    // Small on the wire, over the limit once decoded.
    const admin = await loggedIn(server);
    const zipped = await admin
      .post('/api/admin/logo')
      .set('Content-Type', 'image/png')
      .set('Content-Encoding', 'gzip')
      .send(gzipSync(big))
      .expect(413);
    expect(zipped.body.error.code).toBe('payload_too_large');
    // Exactly at the limit is fine.
    await upload(server, big.subarray(0, MAX_LOGO_BYTES), 'image/png', 200);
    // A compressed upload within the limit is decoded, then checked.
    await admin
      .post('/api/admin/logo')
      .set('Content-Type', 'image/jpeg')
      .set('Content-Encoding', 'deflate')
      .send(deflateSync(JPEG))
      .expect(200);
  });

  it('gives a new logo a new URL; the old URL answers 404, and DELETE goes back to none', async () => {
    const server = await start();
    const first = (await upload(server, PNG, 'image/png', 200)).body.logoUrl as string;
    const second = (await upload(server, JPEG, 'image/jpeg', 200)).body.logoUrl as string;
    expect(second).not.toBe(first);
    await server.request().get(first).expect(404);
    await server.request().get(second).expect(200);
    // The same hash under another extension is not the logo either.
    await server
      .request()
      .get(second.replace(/\.jpg$/, '.png'))
      .expect(404);

    const admin = await loggedIn(server);
    const removed = await admin.delete('/api/admin/logo').expect(200);
    expect(removed.body).toEqual({ logoUrl: null });
    await server.request().get(second).expect(404);
    expect((await server.request().get('/api/site')).body.logoUrl).toBeNull();
  });

  it('is the same logo for another instance on the same database', async () => {
    const server = await start();
    const logoUrl = (await upload(server, PNG, 'image/png', 200)).body.logoUrl as string;
    const other = await start({ storage: server.storage });
    expect((await other.request().get('/api/site')).body.logoUrl).toBe(logoUrl);
    await other.request().get(logoUrl).expect(200);
  });

  it('is for the admin only: 401 without a login, 503 without ADMIN_PASSWORD, 403 from another site', async () => {
    const server = await start();
    const anonymous = await server
      .request()
      .post('/api/admin/logo')
      .set('Content-Type', 'image/png')
      .send(PNG)
      .expect(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    await server.request().delete('/api/admin/logo').expect(401);
    const admin = await loggedIn(server);
    await admin
      .post('/api/admin/logo')
      .set('Origin', 'https://evil.example')
      .set('Content-Type', 'image/png')
      .send(PNG)
      .expect(403);
    expect((await server.request().get('/api/site')).body.logoUrl).toBeNull();

    const off = await start({ adminPassword: undefined });
    const disabled = await off
      .request()
      .post('/api/admin/logo')
      .set('Content-Type', 'image/png')
      .send(PNG)
      .expect(503);
    expect(disabled.body.error.code).toBe('admin_disabled');
  });

  it('names the logo in the site meta element of the served index.html, without a restart', async () => {
    const temp = makeTempDir();
    temps.push(temp);
    writeFileSync(
      join(temp.dir, 'index.html'),
      '<!doctype html><html><head><title>x</title></head><body><div id="root"></div></body></html>',
    );
    const server = await start({ webRoot: temp.dir });
    const siteMeta = async () => {
      const html = (await server.request().get('/').expect(200)).text;
      const content = /<meta name="catlist-site" content="([^"]*)"/.exec(html)?.[1] ?? '';
      return JSON.parse(content.replaceAll('&quot;', '"').replaceAll('&amp;', '&'));
    };
    expect((await siteMeta()).logoUrl).toBeNull();
    const logoUrl = (await upload(server, PNG, 'image/png', 200)).body.logoUrl as string;
    expect((await siteMeta()).logoUrl).toBe(logoUrl);
    // Served as an image, not as the SPA's page.
    const served = await server.request().get(logoUrl).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
  });
});

describe(`the logo in mails (${TEST_BACKEND})`, () => {
  it('shows in the confirmation mail, at its absolute address', async () => {
    const server = await startMailTestServer({ adminPassword: PASSWORD });
    servers.push(server);
    const logoUrl = (await upload(server, PNG, 'image/png', 200)).body.logoUrl as string;
    await server.browser().post('/api/signup').send({ email: 'kit@example.com' }).expect(200);
    const [mail] = await server.smtp.waitFor(1);
    expect(mail?.html).toContain(`<img src="${server.url}${logoUrl}" alt=""`);
  });

  it('has no logo while none is uploaded', async () => {
    const server = await startMailTestServer({ adminPassword: PASSWORD });
    servers.push(server);
    await server.browser().post('/api/signup').send({ email: 'kit@example.com' }).expect(200);
    const [mail] = await server.smtp.waitFor(1);
    expect(mail?.html).not.toContain('<img');
  });
});
