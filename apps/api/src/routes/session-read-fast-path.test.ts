import { createServer } from 'node:http';
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { createSessionStore } from '../db/session-store.js';
import { createSubscriberStore } from '../db/subscriber-store.js';
import { createHttpServer } from '../http-server.js';
import { SESSION_MAX_AGE_MS } from '../session/session-middleware.js';
import { SigningKeys } from '../session/signing-keys.js';
import {
  type RawAnswer,
  rawRequest,
  useListeners,
  useTestDatabase,
} from '../test-support/per-test.js';
import { TEST_SESSION_KEY } from '../test-support/test-server.js';
import type { FastPath } from './fast-path.js';
import { sessionReadFastPath } from './session-read-fast-path.js';

// GET /api/session is answered below Koa for a steady visitor session (session-read-fast-path.ts).
// These tests hold it to two things: it answers exactly what Koa alone answers, and it leaves to
// Koa every request that is not that steady case.

const PASSWORD = 'correct horse battery';
const CROSS_ORIGIN = 'http://cats.example';
const keys = new SigningKeys([TEST_SESSION_KEY]);

const db = useTestDatabase();
const listen = useListeners();
const send = rawRequest;
type Answer = RawAnswer;

/** The cookie header a browser would send back after this answer. */
function cookieFrom(answer: Answer): string {
  const cookies = (answer.headers['set-cookie'] ?? []) as string[];
  return cookies.map((cookie) => cookie.split(';')[0]).join('; ');
}

function signedCookie(id: string): string {
  return `sid=${id}; sid.sig=${keys.sign(`sid=${id}`)}`;
}

async function signUp(url: string, email: string): Promise<string> {
  const answer = await send(url, '/api/signup', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  expect(answer.status).toBe(200);
  return cookieFrom(answer);
}

describe('GET /api/session below Koa', () => {
  it('answers every kind of request exactly as Koa alone does', async () => {
    const deps = {
      database: db.database,
      sessionKeys: [TEST_SESSION_KEY],
      adminPassword: PASSWORD,
      corsOrigins: [CROSS_ORIGIN],
    };
    const koaOnly = await listen(createHttpServer(createApp({ ...deps, fastPaths: false })));
    const withFastPath = await listen(createHttpServer(createApp(deps)));

    const visitor = await signUp(koaOnly, 'steady@example.com');
    const removed = await signUp(koaOnly, 'removed@example.com');
    await createSubscriberStore(db.database).remove('removed@example.com');
    const admin = await signUp(koaOnly, 'admin@example.com');
    const login = await send(koaOnly, '/api/admin/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: admin },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const adminCookie = cookieFrom(login);
    const [visitorId, visitorSig] = visitor.split('; ').map((pair) => pair.split('=')[1]);

    const cases: [string, { method?: string; path?: string; headers?: Record<string, string> }][] =
      [
        ['a subscribed visitor', { headers: { Cookie: visitor } }],
        ['a visitor whose address was removed', { headers: { Cookie: removed } }],
        ['an admin', { headers: { Cookie: adminCookie } }],
        [
          'quoted cookie values',
          { headers: { Cookie: `sid="${visitorId}"; sid.sig="${visitorSig}"` } },
        ],
        ['other cookies around', { headers: { Cookie: `theme=dark; ${visitor}; lang=fr` } }],
        ['a query string', { path: '/api/session?fresh=1', headers: { Cookie: visitor } }],
        ['an allowed origin', { headers: { Cookie: visitor, Origin: CROSS_ORIGIN } }],
        ['a foreign origin', { headers: { Cookie: visitor, Origin: 'http://evil.example' } }],
        ['HEAD', { method: 'HEAD', headers: { Cookie: visitor } }],
        [
          'a forged signature',
          { headers: { Cookie: `sid=${visitorId}; sid.sig=${'A'.repeat(43)}` } },
        ],
        ['no signature', { headers: { Cookie: `sid=${visitorId}` } }],
        ['an unknown session', { headers: { Cookie: signedCookie('unknown-session-id') } }],
        ['no cookie', {}],
      ];
    for (const [name, { method, path = '/api/session', headers }] of cases) {
      const options = { ...(method ? { method } : {}), ...(headers ? { headers } : {}) };
      // Twice each, so the second request meets whatever the first left in memory.
      for (let round = 0; round < 2; round++) {
        const expected = await send(koaOnly, path, options);
        const actual = await send(withFastPath, path, options);
        const { date: _a, ...expectedHeaders } = expected.headers;
        const { date: _b, ...actualHeaders } = actual.headers;
        expect({ name, status: actual.status, body: actual.body }).toEqual({
          name,
          status: expected.status,
          body: expected.body,
        });
        expect({ name, headers: actualHeaders }).toEqual({ name, headers: expectedHeaders });
      }
    }
  });

  describe('what it answers itself, and what it leaves to Koa', () => {
    let url: string;
    let fastPath: FastPath;
    const sessions = () => createSessionStore(db.database);

    beforeEach(async () => {
      fastPath = sessionReadFastPath({
        keys,
        sessions: createSessionStore(db.database),
        subscribers: createSubscriberStore(db.database),
        crossOrigin: false,
        logger: pino({ level: 'silent' }),
        now: Date.now,
      });
      // Only the fast path: what it leaves to Koa is answered 599 here.
      url = await listen(
        createServer(async (req, res) => {
          const answered = fastPath(req, res);
          if (answered === true || (answered !== false && (await answered))) return;
          res.writeHead(599).end();
        }),
      );
      await createSubscriberStore(db.database).add('cat@example.com', 1);
    });

    async function visitorSession(id: string, fields: Record<string, unknown>): Promise<string> {
      const expire = Date.now() + SESSION_MAX_AGE_MS;
      await sessions().set(
        id,
        { email: 'cat@example.com', _expire: expire, _maxAge: SESSION_MAX_AGE_MS, ...fields },
        expire + 10_000,
        'insert',
      );
      return signedCookie(id);
    }

    it('answers a steady visitor session', async () => {
      const cookie = await visitorSession('steady', {});
      const answer = await send(url, '/api/session', { headers: { Cookie: cookie } });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({
        email: 'cat@example.com',
        subscribed: true,
        admin: false,
      });
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers['set-cookie']).toBeUndefined();
    });

    it('leaves to Koa a session due for renewal, an admin, and anything unusual', async () => {
      const steady = await visitorSession('steady', {});
      const renewal = await visitorSession('renewal', {
        _expire: Date.now() + SESSION_MAX_AGE_MS / 2 - 60_000,
      });
      const admin = await visitorSession('admin', {
        admin: { since: Date.now(), seen: Date.now() },
      });
      const [, steadySig] = steady.split('; sid.sig=');
      const left: [string, { method?: string; path?: string; headers?: Record<string, string> }][] =
        [
          ['due for renewal', { headers: { Cookie: renewal } }],
          ['an admin session', { headers: { Cookie: admin } }],
          ['an unknown session', { headers: { Cookie: signedCookie('nobody') } }],
          ['a forged signature', { headers: { Cookie: `sid=steady; sid.sig=${'A'.repeat(43)}` } }],
          [
            'a signature of another id',
            { headers: { Cookie: `sid=renewal; sid.sig=${steadySig}` } },
          ],
          ['no signature', { headers: { Cookie: 'sid=steady' } }],
          ['no cookie', {}],
          ['an origin', { headers: { Cookie: steady, Origin: 'http://cats.example' } }],
          ['a query string', { path: '/api/session?x=1', headers: { Cookie: steady } }],
          ['HEAD', { method: 'HEAD', headers: { Cookie: steady } }],
          ['POST', { method: 'POST', headers: { Cookie: steady } }],
          ['a body', { headers: { Cookie: steady, 'Content-Length': '2' } }],
          ['another path', { path: '/api/stats', headers: { Cookie: steady } }],
        ];
      // The steady session first, so that its signature is remembered when the forgeries come.
      expect((await send(url, '/api/session', { headers: { Cookie: steady } })).status).toBe(200);
      for (const [name, { method, path = '/api/session', headers }] of left) {
        const body = headers?.['Content-Length'] ? '{}' : undefined;
        const answer = await send(url, path, {
          ...(method ? { method } : {}),
          ...(headers ? { headers } : {}),
          ...(body ? { body } : {}),
        });
        expect({ name, status: answer.status }).toEqual({ name, status: 599 });
      }
    });
  });
});
