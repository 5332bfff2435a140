import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { createHttpServer } from '../http-server.js';
import {
  type RawAnswer,
  rawRequest,
  useListeners,
  useTestDatabase,
} from '../test-support/per-test.js';
import { TEST_SESSION_KEY } from '../test-support/test-server.js';

// POST /api/signup is answered below Koa for a new visitor from our own origin
// (signup-fast-path.ts). Whatever a request holds, the answer, the cookies and the rows it leaves
// must be the ones the Koa app alone gives.

const CROSS_ORIGIN = 'http://cats.example';

const db = useTestDatabase();
const listenOn = useListeners();
type Answer = RawAnswer;

function listen(fastPaths: boolean): Promise<string> {
  const app = createApp({
    database: db.database,
    sessionKeys: [TEST_SESSION_KEY],
    corsOrigins: [CROSS_ORIGIN],
    trustProxy: true,
    fastPaths,
  });
  return listenOn(createHttpServer(app));
}

function post(
  url: string,
  headers: Record<string, string>,
  body: string | Buffer,
): Promise<Answer> {
  return rawRequest(url, '/api/signup', { method: 'POST', headers, body });
}

/** The rows a signup touches, for comparing what two requests left behind. */
async function rows() {
  const subscribers = await db.database.db.selectFrom('subscribers').select('email').execute();
  const sessions = await db.database.db.selectFrom('sessions').select('data').execute();
  return {
    subscribers: subscribers.map((row) => row.email).sort(),
    sessions: sessions.map((row) => {
      const { _expire, ...data } = JSON.parse(row.data) as Record<string, unknown>;
      return { ...data, expireSet: typeof _expire === 'number' };
    }),
  };
}

/** What may differ between two equal answers: the date, fresh ids and signatures, expiry times. */
function comparable(answer: Answer, own: string, tag: string) {
  const { date: _date, ...headers } = answer.headers;
  const cookies = ((headers['set-cookie'] ?? []) as string[]).map((cookie) =>
    cookie
      .replace(/^(sid(?:\.sig)?)=[^;]+/, '$1=<value>')
      .replace(/expires=[^;]+/, 'expires=<date>'),
  );
  const body = answer.body.replaceAll(tag, '<tag>').replace(/\d+ s\./, '<n> s.');
  const retryAfter = headers['retry-after'] ? '<n>' : undefined;
  return {
    status: answer.status,
    body,
    headers: { ...headers, 'set-cookie': cookies, 'retry-after': retryAfter },
    own: own.length > 0,
  };
}

type Case = (
  own: string,
  tag: string,
) => { headers: Record<string, string>; body: string | Buffer };
const json = (body: unknown) => JSON.stringify(body);
const JSON_TYPE = { 'Content-Type': 'application/json' };

const CASES: [string, Case][] = [
  [
    'a new visitor, no Origin',
    (_, tag) => ({ headers: JSON_TYPE, body: json({ email: `${tag}@example.com` }) }),
  ],
  [
    'our own origin',
    (own, tag) => ({
      headers: { ...JSON_TYPE, Origin: own },
      body: json({ email: ` ${tag}@Example.COM ` }),
    }),
  ],
  [
    'through a TLS proxy',
    (_, tag) => ({
      headers: {
        ...JSON_TYPE,
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Host': 'list.example',
        Origin: 'https://list.example',
        'X-Forwarded-For': '203.0.113.9, 10.0.0.1',
      },
      body: json({ email: `${tag}@example.com` }),
    }),
  ],
  [
    'charset utf-8 and a BOM',
    (_, tag) => ({
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: `\ufeff${json({ email: `${tag}@example.com` })}`,
    }),
  ],
  [
    'an allowed other origin',
    (_, tag) => ({
      headers: { ...JSON_TYPE, Origin: CROSS_ORIGIN },
      body: json({ email: `${tag}@example.com` }),
    }),
  ],
  [
    'a foreign origin',
    (_, tag) => ({
      headers: { ...JSON_TYPE, Origin: 'http://evil.example' },
      body: json({ email: `${tag}@example.com` }),
    }),
  ],
  [
    'a cross-site fetch without Origin',
    (_, tag) => ({
      headers: { ...JSON_TYPE, 'Sec-Fetch-Site': 'cross-site' },
      body: json({ email: `${tag}@example.com` }),
    }),
  ],
  ['an invalid address', () => ({ headers: JSON_TYPE, body: json({ email: 'not an address' }) })],
  ['no address', () => ({ headers: JSON_TYPE, body: json({ name: 'Tom' }) })],
  ['a number for an address', () => ({ headers: JSON_TYPE, body: json({ email: 42 }) })],
  ['malformed JSON', () => ({ headers: JSON_TYPE, body: '{"email": "a@example.com"' })],
  ['JSON that is not an object', () => ({ headers: JSON_TYPE, body: '"a@example.com"' })],
  [
    'a __proto__ key',
    (_, tag) => ({
      headers: JSON_TYPE,
      body: `{"email":"${tag}@example.com","__proto__":{"admin":true}}`,
    }),
  ],
  [
    'the honeypot filled in',
    (_, tag) => ({
      headers: JSON_TYPE,
      body: json({ email: `${tag}@example.com`, website: 'spam.example' }),
    }),
  ],
  [
    'the honeypot empty',
    (_, tag) => ({ headers: JSON_TYPE, body: json({ email: `${tag}@example.com`, website: '' }) }),
  ],
  [
    'text/plain',
    (_, tag) => ({
      headers: { 'Content-Type': 'text/plain' },
      body: json({ email: `${tag}@example.com` }),
    }),
  ],
  [
    'a body over 16 KiB',
    (_, tag) => ({
      headers: JSON_TYPE,
      body: json({ email: `${tag}@example.com`, pad: 'x'.repeat(17_000) }),
    }),
  ],
  [
    'a visitor with a session cookie',
    (_, tag) => ({
      headers: { ...JSON_TYPE, Cookie: 'sid=whatever; sid.sig=nope' },
      body: json({ email: `${tag}@example.com` }),
    }),
  ],
];

describe('POST /api/signup below Koa', () => {
  it.each(CASES)('answers %s exactly as Koa alone does, leaving the same rows', async (_, make) => {
    const koaOnly = await listen(false);
    const withFastPath = await listen(true);
    const results = []; // the tags have the same length, so that Content-Length compares too
    for (const [url, tag] of [
      [koaOnly, 'koa-only'],
      [withFastPath, 'fastpath'],
    ] as const) {
      const before = await rows();
      const { headers, body } = make(url, tag);
      const answer = await post(url, headers, body);
      const after = await rows();
      const added = {
        subscribers: after.subscribers.filter((email) => !before.subscribers.includes(email)),
        sessions: after.sessions.slice(before.sessions.length),
      };
      results.push({
        answer: comparable(answer, url, tag),
        added: JSON.parse(JSON.stringify(added).replaceAll(tag, '<tag>')),
      });
    }
    expect(results[1]).toEqual(results[0]);
  });

  it('limits signups per client address exactly as Koa alone does', async () => {
    const koaOnly = await listen(false);
    const withFastPath = await listen(true);
    // Each server sees its own client address (the two limiters may share memory in one process).
    const statuses = async (url: string, tag: string, ip: string) => {
      const seen: Answer[] = [];
      for (let i = 0; i < 32; i++) {
        seen.push(
          await post(
            url,
            { ...JSON_TYPE, 'X-Forwarded-For': ip },
            json({ email: `${tag}${i}@example.com` }),
          ),
        );
      }
      return seen.map((answer) => comparable(answer, url, tag));
    };
    const expected = await statuses(koaOnly, 'koa-only', '198.51.100.7');
    expect(expected.filter((answer) => answer.status === 429)).toHaveLength(2);
    expect(await statuses(withFastPath, 'fastpath', '198.51.100.8')).toEqual(expected);
  });
});
