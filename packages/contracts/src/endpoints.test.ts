import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  AdminLoginBody,
  AdminLoginResponse,
  ChallengeResponse,
  ConfirmBody,
  contract,
  HealthResponse,
  ImportParams,
  ImportPreview,
  ImportResult,
  MAX_IMPORT_BYTES,
  OpenApiDocument,
  SessionResponse,
  SignupBody,
  SignupResponse,
  StatsResponse,
  Subscriber,
  SubscriberParams,
  SubscribersPage,
  SubscribersQuery,
  UnregisterResponse,
  UnsubscribeQuery,
  UnsubscribeResponse,
} from './endpoints.js';
import { ErrorBody, errorCodes } from './errors.js';
import { SiteResponse } from './site.js';

/** A challenge as altcha-lib's createChallenge makes it (PBKDF2, a key signature, an expiry). */
const CHALLENGE = {
  parameters: {
    algorithm: 'PBKDF2/SHA-256',
    nonce: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    salt: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    cost: 1000,
    keyLength: 32,
    keyPrefix: '6c0a9e3f1b2d4c5e6f708192a3b4c5d6',
    keySignature: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    expiresAt: 1_800_000_000,
  },
  signature: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
};

const accepts = (schema: z.ZodMiniType, value: unknown) =>
  expect(z.safeParse(schema, value).success).toBe(true);
const refuses = (schema: z.ZodMiniType, value: unknown) =>
  expect(z.safeParse(schema, value).success).toBe(false);

describe('admin inputs', () => {
  it.each([
    ['a NUL', '\u0000'],
    ['a NUL inside', 'cat\u0000dog'],
    ['a line feed', 'cat\n'],
    ['an escape', '\u001b[31m'],
    ['a C1 control', '\u0085'],
  ])('refuses %s in the search, the cursor and the address to delete', (_, text) => {
    expect(z.safeParse(SubscribersQuery, { q: text }).success).toBe(false);
    expect(z.safeParse(SubscribersQuery, { cursor: text }).success).toBe(false);
    expect(z.safeParse(SubscriberParams, { email: text }).success).toBe(false);
  });

  it('says why a control character is refused', () => {
    const result = z.safeParse(SubscriberParams, { email: 'cat\u0000' });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'must not contain control characters',
    ]);
  });

  it('takes ordinary text, Unicode included', () => {
    expect(
      z.parse(SubscribersQuery, { q: 'gmail', cursor: 'WzEsImFAYi5jIl0', limit: '20' }),
    ).toEqual({ q: 'gmail', cursor: 'WzEsImFAYi5jIl0', limit: 20 });
    expect(z.parse(SubscriberParams, { email: 'ネコ@例え.jp' })).toEqual({ email: 'ネコ@例え.jp' });
  });
});

describe('integer query parameters', () => {
  // Every integer a query takes goes through queryInteger; `limit` is the one there is today.
  it.each([
    '0x2',
    '1e0',
    '1e1',
    '+1',
    '-1',
    '1.0',
    '1.',
    '.5',
    ' 1',
    '1 ',
    '01',
    '007',
    '',
    '\uff11',
    '\u0661',
    '1_0',
    'Infinity',
    'NaN',
    '0b1',
    '2\n',
  ])('refuses %j as a limit', (text) => {
    refuses(SubscribersQuery, { limit: text });
  });

  it.each([
    ['1', 1],
    ['50', 50],
    ['500', 500],
  ])('takes %j as %d', (text, value) => {
    expect(z.parse(SubscribersQuery, { limit: text })).toEqual({ limit: value });
  });

  it('keeps the range: 0 and 501 are refused', () => {
    refuses(SubscribersQuery, { limit: '0' });
    refuses(SubscribersQuery, { limit: '501' });
  });
});

// What the API answers and the web app reads: each schema takes the real shape and refuses a
// body that lacks a field or has the wrong value, so a schema loosened by accident shows here.
describe('request and response bodies', () => {
  it.each<[string, z.ZodMiniType, unknown, unknown[]]>([
    [
      'the session',
      SessionResponse,
      { email: null, subscribed: false, admin: false },
      [
        { subscribed: false, admin: false },
        { email: null, admin: false },
        { email: null, subscribed: false },
        { email: 1, subscribed: false, admin: false },
      ],
    ],
    [
      'a signup',
      SignupBody,
      { email: 'cat@example.com', website: '' },
      [{}, { website: '' }, { email: 'cat@example.com', website: 1 }],
    ],
    [
      'a signup with a solved challenge',
      SignupBody,
      { email: 'cat@example.com', altcha: 'eyJ9' },
      [{ altcha: 'eyJ9' }, { email: 'cat@example.com', altcha: 1 }],
    ],
    [
      'a proof-of-work challenge',
      ChallengeResponse,
      CHALLENGE,
      [
        { parameters: CHALLENGE.parameters },
        { signature: 's' },
        ...Object.keys(CHALLENGE.parameters).map((key) => ({
          ...CHALLENGE,
          parameters: { ...CHALLENGE.parameters, [key]: undefined },
        })),
        { ...CHALLENGE, parameters: { ...CHALLENGE.parameters, cost: '1000' } },
      ],
    ],
    [
      'a signup answer',
      SignupResponse,
      { email: 'cat@example.com', subscribed: true },
      [{ subscribed: true }, { email: 'cat@example.com', subscribed: false }],
    ],
    ['an unregister answer', UnregisterResponse, { removed: 'cat@example.com' }, [{}]],
    ['the stats', StatsResponse, { subscribers: 3 }, [{}, { subscribers: '3' }]],
    ['the health', HealthResponse, { status: 'ok' }, [{}, { status: '' }, { status: 'down' }]],
    ['an admin login', AdminLoginBody, { password: 'secret' }, [{}, { password: 1 }]],
    ['an admin login answer', AdminLoginResponse, { admin: true }, [{}, { admin: false }]],
    [
      'a subscriber',
      Subscriber,
      { email: 'cat@example.com', createdAt: '2026-01-01T00:00:00.000Z', source: 'import' },
      [
        { email: 'cat@example.com', source: 'signup' },
        { createdAt: '2026-01-01T00:00:00.000Z', source: 'signup' },
        { email: 'cat@example.com', createdAt: '2026-01-01T00:00:00.000Z' },
        { email: 'cat@example.com', createdAt: '2026-01-01T00:00:00.000Z', source: 'elsewhere' },
      ],
    ],
    [
      'a pending signup answer (confirmation by email)',
      SignupResponse,
      { email: 'cat@example.com', subscribed: false, pending: true },
      [{ email: 'cat@example.com', subscribed: false, pending: false }],
    ],
    [
      'a confirmation',
      ConfirmBody,
      { token: 't'.repeat(1024) },
      [{}, { token: '' }, { token: 't'.repeat(1025) }, { token: 1 }],
    ],
    ['an unsubscribe link', UnsubscribeQuery, { token: 'abc' }, [{}, { token: '' }]],
    [
      "an announcement's unsubscribe link",
      UnsubscribeQuery,
      { token: 'abc', announcement: '1'.repeat(64) },
      [{ announcement: '12' }, { token: 'abc', announcement: '1'.repeat(65) }],
    ],
    [
      'an unsubscribe answer',
      UnsubscribeResponse,
      { email: 'cat@example.com', subscribed: false },
      [{ subscribed: false }, { email: 'cat@example.com', subscribed: true }],
    ],
    [
      'the site',
      SiteResponse,
      {
        name: 'Bake Club',
        tagline: '',
        privacyUrl: null,
        adminEnabled: false,
        challenge: true,
        languages: ['en', 'de'],
        defaultLanguage: 'en',
      },
      [
        { tagline: '', privacyUrl: null, adminEnabled: false, challenge: false },
        { name: 'Bake Club', privacyUrl: null, adminEnabled: false, challenge: false },
        { name: 'Bake Club', tagline: '', adminEnabled: false, challenge: false },
        { name: 'Bake Club', tagline: '', privacyUrl: null, challenge: false },
        { name: 'Bake Club', tagline: '', privacyUrl: null, adminEnabled: false },
        { name: 'Bake Club', tagline: '', privacyUrl: null, adminEnabled: false, challenge: 'on' },
        {
          name: 'Bake Club',
          tagline: '',
          privacyUrl: null,
          adminEnabled: false,
          challenge: false,
          defaultLanguage: 'en',
        },
      ],
    ],
    [
      'the OpenAPI document',
      OpenApiDocument,
      { openapi: '3.1.0', info: { title: 'catlist', version: '1' }, paths: {} },
      [
        { info: { title: 'catlist', version: '1' }, paths: {} },
        { openapi: '3.1.0', paths: {} },
        { openapi: '3.1.0', info: { version: '1' }, paths: {} },
        { openapi: '3.1.0', info: { title: 'catlist' }, paths: {} },
        { openapi: '3.1.0', info: { title: 'catlist', version: '1' } },
      ],
    ],
    [
      'an import preview',
      ImportPreview,
      {
        id: 'i',
        added: 1,
        alreadyThere: 0,
        invalid: 1,
        suppressed: 0,
        invalidLines: [{ line: 3, value: 'x', message: 'm' }],
      },
      [
        { added: 1, alreadyThere: 0, invalid: 0, invalidLines: [] },
        { id: 'i', alreadyThere: 0, invalid: 0, invalidLines: [] },
        { id: 'i', added: 1, invalid: 0, invalidLines: [] },
        { id: 'i', added: 1, alreadyThere: 0, invalidLines: [] },
        { id: 'i', added: 1, alreadyThere: 0, invalid: 0, suppressed: 0 },
        { id: 'i', added: 1, alreadyThere: 0, invalid: 0, invalidLines: [] },
        { id: 'i', added: 1, alreadyThere: 0, invalid: 1, invalidLines: [{ line: 3 }] },
        {
          id: 'i',
          added: 1,
          alreadyThere: 0,
          invalid: 1,
          invalidLines: [{ value: 'x', message: 'm' }],
        },
      ],
    ],
    [
      'an import result',
      ImportResult,
      { added: 1, alreadyThere: 2, invalid: 3, suppressed: 4 },
      [
        { added: 1, alreadyThere: 2, invalid: 3 },
        { alreadyThere: 2, invalid: 3 },
        { added: 1, invalid: 3 },
        { added: 1, alreadyThere: 2 },
      ],
    ],
    ['an import id', ImportParams, { id: 'abc' }, [{}, { id: 'x'.repeat(65) }]],
    [
      'a page of subscribers',
      SubscribersPage,
      { items: [{ email: 'a@b.c', createdAt: 'x', source: 'signup' }], nextCursor: null, total: 1 },
      [
        { nextCursor: null, total: 1 },
        { items: [], total: 1 },
        { items: [], nextCursor: null },
        { items: [{ email: 'a@b.c' }], nextCursor: null, total: 1 },
      ],
    ],
  ])('%s: takes the real shape, refuses a wrong one', (_, schema, good, bad) => {
    accepts(schema, good);
    for (const value of bad) refuses(schema, value);
  });

  it('health says unavailable too', () => {
    accepts(HealthResponse, { status: 'unavailable' });
  });
});

describe('error bodies', () => {
  it('takes an error with a code, a message and the schema issues', () => {
    const body = {
      error: {
        code: 'invalid_request',
        message: 'The request does not match what this endpoint expects.',
        issues: [{ path: ['items', 0, 'email'], message: 'Invalid input' }],
      },
    };
    expect(z.parse(ErrorBody, body)).toEqual(body);
    accepts(ErrorBody, { error: { code: 'not_found', message: 'There is nothing here.' } });
  });

  it.each([
    ['no error', {}],
    ['no code', { error: { message: 'm' } }],
    ['no message', { error: { code: 'not_found' } }],
    ['an issue without a message', { error: { code: 'c', message: 'm', issues: [{ path: [] }] } }],
    ['an issue without a path', { error: { code: 'c', message: 'm', issues: [{ message: 'm' }] } }],
    [
      'an issue path that is neither key nor index',
      { error: { code: 'c', message: 'm', issues: [{ path: [true], message: 'm' }] } },
    ],
  ])('refuses an error body with %s', (_, value) => {
    refuses(ErrorBody, value);
  });

  it('answers every endpoint error status with an error body naming only known codes', () => {
    for (const endpoint of Object.values(contract)) {
      for (const [status, schema] of Object.entries(endpoint.responses)) {
        if (Number(status) < 400 || endpoint.path === '/api/health' || schema === null) continue;
        const name = `${endpoint.method} ${endpoint.path} ${status}`;
        const body = (code: string) => ({ error: { code, message: 'm' } });
        const accepted = errorCodes.filter((code) => z.safeParse(schema, body(code)).success);
        expect(accepted.length, name).toBeGreaterThan(0);
        expect(z.safeParse(schema, body('no_such_code')).success, name).toBe(false);
        // Every code an error status accepts is a general error body too.
        for (const code of accepted) expect(z.safeParse(ErrorBody, body(code)).success).toBe(true);
      }
    }
  });
});

describe('limits', () => {
  it('takes import files up to 10 MiB, as docs/http-api.md says', () => {
    expect(MAX_IMPORT_BYTES).toBe(10 * 1024 * 1024);
  });
});
