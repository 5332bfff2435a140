import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../test-support/per-test.js';
import { startTestServer, TEST_BACKEND, type TestServer } from '../test-support/test-server.js';

// docs/http-api.md, Conventions: a body that cannot be decoded as sent is `400 invalid_request`,
// logged as a client error at most, never a 500 or an error-level "unhandled error" line.

const PASSWORD = 'correct horse battery staple';
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.cleanup()));
});

async function start() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  const server = await startTestServer({
    logger,
    adminPassword: PASSWORD,
    confirmation: {
      mailUrl: 'console',
      from: 'Cats <news@example.com>',
      publicUrl: 'https://signup.example.com',
    },
  });
  servers.push(server);
  const login = await rawRequest(server.url, '/api/admin/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: PASSWORD }),
  });
  const cookie = ([] as string[])
    .concat(login.headers['set-cookie'] ?? [])
    .map((line) => line.split(';')[0])
    .join('; ');
  /** What was logged at error (50) or above: a client's mistake is warn at most. */
  const loud = () => lines.filter((line) => line.level >= 50).map((line) => line.msg);
  return { server, cookie, loud };
}

const JSON_TEXT = '{"email":"cat@example.com","password":"x","token":"x"}';
const CSV_TEXT = 'email\r\ncat@example.com\r\n';

/** Every route that reads a body, with a body it would otherwise take. */
const BODY_ROUTES = [
  ['/api/signup', 'application/json', JSON_TEXT],
  ['/api/unregister', 'application/json', '{}'],
  ['/api/confirm', 'application/json', JSON_TEXT],
  ['/api/admin/login', 'application/json', JSON_TEXT],
  ['/api/admin/logout', 'application/json', '{}'],
  ['/api/admin/imports/abc/confirm', 'application/json', '{}'],
  ['/api/admin/imports', 'text/csv', CSV_TEXT],
] as const;

/** Bodies whose Content-Encoding is not what they are. */
const UNDECODABLE: [string, string, (text: string) => Buffer][] = [
  ['gzip, but plain', 'gzip', (text) => Buffer.from(text)],
  ['deflate, but plain', 'deflate', (text) => Buffer.from(text)],
  ['br, but plain', 'br', (text) => Buffer.from(text)],
  ['gzip, cut short', 'gzip', (text) => gzipSync(text).subarray(0, 12)],
  [
    'gzip, garbage after a good header',
    'gzip',
    (text) => Buffer.concat([gzipSync(text).subarray(0, 10), Buffer.alloc(40, 0xff)]),
  ],
  ['deflate, really gzip cut short', 'deflate', (text) => deflateSync(text).subarray(0, 4)],
  ['br, cut short', 'br', (text) => brotliCompressSync(Buffer.from(text)).subarray(0, 5)],
];

describe(`bodies that cannot be decoded as sent (${TEST_BACKEND})`, () => {
  it.each(UNDECODABLE)(
    'answers %s with 400 invalid_request on every body route',
    async (_, coding, encode) => {
      const { server, cookie, loud } = await start();
      for (const [path, type, text] of BODY_ROUTES) {
        const body = encode(text);
        const answer = await rawRequest(server.url, path, {
          method: 'POST',
          headers: {
            Cookie: cookie,
            'Content-Type': type,
            'Content-Encoding': coding,
            'Content-Length': String(body.length),
          },
          body,
        });
        expect({ path, status: answer.status, code: JSON.parse(answer.body).error?.code }).toEqual({
          path,
          status: 400,
          code: 'invalid_request',
        });
      }
      expect(loud()).toEqual([]);
    },
  );

  it('answers an unknown Content-Encoding with 415 on every body route', async () => {
    const { server, cookie, loud } = await start();
    for (const [path, type, text] of BODY_ROUTES) {
      const answer = await rawRequest(server.url, path, {
        method: 'POST',
        headers: {
          Cookie: cookie,
          'Content-Type': type,
          'Content-Encoding': 'x-cat',
          'Content-Length': String(Buffer.byteLength(text)),
        },
        body: text,
      });
      expect({ path, status: answer.status, code: JSON.parse(answer.body).error?.code }).toEqual({
        path,
        status: 415,
        code: 'unsupported_media_type',
      });
    }
    expect(loud()).toEqual([]);
  });

  it.each(['utf-16le', 'utf-32', 'latin1', 'klingon'])(
    'answers JSON declared as charset=%s with 400 invalid_request',
    async (charset) => {
      const { server, loud } = await start();
      const answer = await rawRequest(server.url, '/api/admin/login', {
        method: 'POST',
        headers: { 'Content-Type': `application/json; charset=${charset}` },
        body: Buffer.from(JSON.stringify({ password: PASSWORD }), 'utf16le'),
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error.code).toBe('invalid_request');
      expect(loud()).toEqual([]);
    },
  );

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a cut-off sequence', [0xe3, 0x83]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['latin1 ü', [0xfc]],
  ])(
    'answers JSON holding bytes that are not UTF-8 (%s) with 400 invalid_request',
    async (_, bytes) => {
      const { server, loud } = await start();
      const body = Buffer.concat([
        Buffer.from('{"email":"cat'),
        Buffer.from(bytes),
        Buffer.from('@example.com","password":"p'),
        Buffer.from(bytes),
        Buffer.from('"}'),
      ]);
      for (const path of ['/api/admin/login', '/api/signup']) {
        const answer = await rawRequest(server.url, path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
        });
        expect({ path, status: answer.status, code: JSON.parse(answer.body).error?.code }).toEqual({
          path,
          status: 400,
          code: 'invalid_request',
        });
      }
      expect(loud()).toEqual([]);
    },
  );

  it('reads JSON beyond ASCII as UTF-8', async () => {
    const { server } = await start();
    const wrong = await rawRequest(server.url, '/api/admin/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from(JSON.stringify({ password: `${PASSWORD} ネコ ü` }), 'utf8'),
    });
    expect(JSON.parse(wrong.body).error.code).toBe('invalid_password');
    const proto = await rawRequest(server.url, '/api/admin/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from('{"password":"ü","__proto__":{"admin":true}}', 'utf8'),
    });
    expect(proto.status).toBe(400);
  });

  it('still takes a body that really is gzip, deflate or br', async () => {
    const { server, cookie } = await start();
    const login = JSON.stringify({ password: PASSWORD });
    for (const [coding, body] of [
      ['gzip', gzipSync(login)],
      ['deflate', deflateSync(login)],
      ['br', brotliCompressSync(Buffer.from(login))],
      ['GZip', gzipSync(login)],
      [' identity ', Buffer.from(login)],
    ] as const) {
      const answer = await rawRequest(server.url, '/api/admin/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Encoding': coding },
        body,
      });
      expect({ coding, status: answer.status }).toEqual({ coding, status: 200 });
    }
    const csv = gzipSync(CSV_TEXT);
    const preview = await rawRequest(server.url, '/api/admin/imports', {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'text/csv', 'Content-Encoding': 'gzip' },
      body: csv,
    });
    expect(preview.status).toBe(200);
    expect(JSON.parse(preview.body)).toMatchObject({ added: 1, invalid: 0 });
  });
});
