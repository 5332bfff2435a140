import { contract } from '@catlist/contracts';
import type supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNUPS_PER_MINUTE } from '../app.js';
import { BODY_LIMIT_BYTES } from '../http/json-body.js';
import { type OpenApi, responseChecker, routeCoverage } from '../test-support/openapi-check.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { LOGIN_FAILURES_ALLOWED } from './admin-routes.js';

const PASSWORD = 'correct horse battery staple';
const json = { 'Content-Type': 'application/json' };
// Confirmation by email on, for its routes; the drainer never starts, so nothing is printed.
const CONSOLE_CONFIRMATION = {
  mailUrl: 'console',
  from: 'Cats Everywhere <news@example.com>',
  publicUrl: 'http://127.0.0.1',
};

const servers: TestServer[] = [];
async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer({ adminPassword: PASSWORD, ...options });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.cleanup()));
});

async function documentOf(server: TestServer): Promise<OpenApi> {
  const response = await server.request().get('/api/openapi.json');
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return response.body as OpenApi;
}

async function loggedIn(server: TestServer) {
  const admin = server.browser();
  await admin.post('/api/admin/login').send({ password: PASSWORD }).expect(200);
  return admin;
}

describe('GET /api/openapi.json', () => {
  it('serves an OpenAPI 3.1 document whose schemas are valid JSON Schema 2020-12', async () => {
    const server = await start();
    const document = await documentOf(server);
    expect(document.openapi).toMatch(/^3\.1\./);
    const checker = responseChecker(document);
    checker.compileAll();
    checker.check(await server.request().get('/api/openapi.json'));
    expect(Object.keys(document.components.schemas)).toContain('SignupBody');
  });

  it('describes every route the router serves, with its methods, and nothing else', async () => {
    // With confirmation by email on, which adds its routes.
    const server = await start({ confirmation: CONSOLE_CONFIRMATION });
    const document = await documentOf(server);
    expect(routeCoverage(server.router, document)).toEqual([]);
    // The router really was walked: every contract entry is one of its routes.
    expect(server.router.stack.length).toBeGreaterThanOrEqual(Object.keys(contract).length);
  });

  it('names a route that someone adds without describing it', async () => {
    const server = await start({ confirmation: CONSOLE_CONFIRMATION });
    const document = await documentOf(server);
    server.router.get('/api/undescribed', (ctx) => {
      ctx.body = {};
    });
    server.router.put('/api/stats', (ctx) => {
      ctx.body = {};
    });
    expect(routeCoverage(server.router, document)).toEqual([
      'GET /api/undescribed is served but not in the document',
      'PUT /api/stats is served but not in the document',
    ]);
    // ... and it is really served, so the check is about what callers can reach.
    expect((await server.request().get('/api/undescribed')).status).toBe(200);
  });
});

describe('real answers validate against the document', () => {
  it('for the success and the error answers of every route', async () => {
    const server = await start();
    const checker = responseChecker(await documentOf(server));
    const check = async (request: supertest.Test) => {
      const response = await request;
      checker.check(response);
      return response;
    };
    const visitor = server.browser();
    const fresh = () => server.request();

    // Public routes.
    await check(visitor.get('/api/session'));
    await check(fresh().post('/api/unregister')); // 409 no_email_in_session
    await check(visitor.post('/api/signup').send({ email: ' Tom@Example.com ' }));
    await check(visitor.get('/api/session'));
    await check(fresh().get('/api/stats'));
    await check(fresh().get('/api/health'));
    await check(fresh().get('/api/openapi.json'));
    await check(fresh().post('/api/signup').send({ email: 'not an address' })); // 400 invalid_email
    await check(fresh().post('/api/signup').set(json).send('{"email":')); // 400 invalid_json
    await check(fresh().post('/api/signup').send({ email: 42 })); // 400 invalid_request
    await check(fresh().post('/api/signup').set('Content-Type', 'text/plain').send('a@b.co'));
    await check(
      fresh()
        .post('/api/signup')
        .send({ email: 'a@example.com', website: 'x'.repeat(BODY_LIMIT_BYTES) }),
    ); // 413
    await check(
      fresh()
        .post('/api/signup')
        .set('Origin', 'https://elsewhere.example')
        .send({ email: 'a@example.com' }),
    ); // 403
    await check(fresh().post('/api/unregister').set('Origin', 'https://elsewhere.example'));
    await check(fresh().post('/api/unregister').set(json).send('{'));
    await check(fresh().post('/api/unregister').set('Content-Type', 'text/plain').send('x'));
    await check(
      fresh()
        .post('/api/unregister')
        .send({ pad: 'x'.repeat(BODY_LIMIT_BYTES) }),
    );
    const gone = server.browser();
    await check(gone.post('/api/signup').send({ email: 'gone@example.com' }));
    await server.database.db
      .deleteFrom('subscribers')
      .where('email', '=', 'gone@example.com')
      .execute();
    await check(gone.post('/api/unregister')); // 404 not_on_list
    await check(visitor.post('/api/unregister')); // 200
    for (let i = 0; i <= SIGNUPS_PER_MINUTE; i++) {
      await check(
        fresh()
          .post('/api/signup')
          .send({ email: `many${i}@example.com` }),
      );
    }

    // Admin routes.
    await check(fresh().post('/api/admin/logout')); // 401 unauthorized
    await check(fresh().get('/api/admin/subscribers'));
    await check(fresh().get('/api/admin/subscribers.csv'));
    await check(fresh().delete('/api/admin/subscribers/a%40example.com'));
    await check(fresh().post('/api/admin/login').send({ password: 'wrong password' })); // 401
    await check(fresh().post('/api/admin/login').send({})); // 400 invalid_request
    await check(fresh().post('/api/admin/login').set(json).send('nope')); // 400 invalid_json
    await check(fresh().post('/api/admin/login').set('Content-Type', 'text/plain').send('x'));
    await check(
      fresh()
        .post('/api/admin/login')
        .send({ password: 'x'.repeat(BODY_LIMIT_BYTES) }),
    );
    await check(
      fresh()
        .post('/api/admin/login')
        .set('Origin', 'https://elsewhere.example')
        .send({ password: PASSWORD }),
    );
    const admin = server.browser();
    await check(admin.post('/api/admin/login').send({ password: PASSWORD })); // 200
    await check(admin.get('/api/session'));
    await check(admin.get('/api/admin/subscribers?limit=2'));
    const page = await check(admin.get('/api/admin/subscribers?limit=2&q=MANY'));
    await check(admin.get(`/api/admin/subscribers?cursor=${page.body.nextCursor}`));
    await check(admin.get('/api/admin/subscribers?limit=0')); // 400
    await check(admin.get('/api/admin/subscribers?cursor=bm90IGEgY3Vyc29y')); // 400
    await check(admin.get('/api/admin/subscribers?q=%00')); // 400
    await check(admin.get('/api/admin/subscribers.csv'));
    await check(admin.delete('/api/admin/subscribers/MANY0%40Example.com')); // 204
    await check(admin.delete('/api/admin/subscribers/many0%40example.com')); // 404
    await check(admin.delete('/api/admin/subscribers/a%07b')); // 400
    await check(
      admin.delete('/api/admin/subscribers/many1%40example.com').set('Origin', 'https://x.example'),
    );
    await check(admin.post('/api/admin/logout').set(json).send('{'));
    await check(admin.post('/api/admin/logout').set('Content-Type', 'text/plain').send('x'));
    await check(admin.post('/api/admin/logout').send({ pad: 'x'.repeat(BODY_LIMIT_BYTES) }));
    await check(admin.post('/api/admin/logout').set('Origin', 'https://x.example'));
    await check(admin.post('/api/admin/logout')); // 204
    for (let i = 0; i <= LOGIN_FAILURES_ALLOWED; i++) {
      await check(fresh().post('/api/admin/login').send({ password: 'wrong password' }));
    }

    // Without ADMIN_PASSWORD.
    const disabled = await start({ adminPassword: undefined });
    const off = responseChecker(await documentOf(disabled));
    for (const request of [
      disabled.request().post('/api/admin/login').send({ password: PASSWORD }),
      disabled.request().post('/api/admin/logout'),
      disabled.request().get('/api/admin/subscribers'),
      disabled.request().get('/api/admin/subscribers.csv'),
      disabled.request().delete('/api/admin/subscribers/a%40example.com'),
    ]) {
      const response = await request;
      off.check(response);
      checker.check(response);
    }

    // Every operation was seen answering, in success and in error.
    const seen = Object.fromEntries(
      [...checker.seen].map(([operation, statuses]) => [
        operation,
        [...statuses].sort((a, b) => a - b),
      ]),
    );
    expect(seen).toEqual({
      getSession: [200],
      signup: [200, 400, 403, 413, 415, 429],
      unregister: [200, 400, 403, 404, 409, 413, 415],
      getStats: [200],
      getHealth: [200],
      getOpenApi: [200],
      adminLogin: [200, 400, 401, 403, 413, 415, 429, 503],
      adminLogout: [204, 400, 401, 403, 413, 415, 503],
      listSubscribers: [200, 400, 401, 503],
      deleteSubscriber: [204, 400, 401, 403, 404, 503],
      exportSubscribers: [200, 401, 503],
    });
  });

  it('while the database is gone', async () => {
    const server = await start();
    const checker = responseChecker(await documentOf(server));
    const visitor = server.browser();
    await visitor.post('/api/signup').send({ email: 'before@example.com' }).expect(200);
    const admin = await loggedIn(server);
    await server.database.close();

    const answers = await Promise.all([
      visitor.get('/api/session'),
      visitor.post('/api/signup').send({ email: 'during@example.com' }),
      visitor.post('/api/unregister'),
      server.request().get('/api/stats'),
      server.request().get('/api/health'),
      server.request().post('/api/admin/login').send({ password: PASSWORD }),
      admin.get('/api/admin/subscribers'),
      admin.get('/api/admin/subscribers.csv'),
      admin.delete('/api/admin/subscribers/before%40example.com'),
      admin.post('/api/admin/logout'),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(500);
      checker.check(answer);
    }
    // The document itself needs no database.
    checker.check(await server.request().get('/api/openapi.json'));
  });
});
