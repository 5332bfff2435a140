import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  AdminLoginBody,
  AdminLoginResponse,
  contract,
  HealthResponse,
  SessionResponse,
  SignupBody,
  SignupResponse,
  StatsResponse,
  Subscriber,
  SubscriberParams,
  SubscribersPage,
  SubscribersQuery,
  UnregisterResponse,
} from './endpoints.js';
import { ErrorBody } from './errors.js';

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
      { email: 'cat@example.com', createdAt: '2026-01-01T00:00:00.000Z' },
      [{ email: 'cat@example.com' }, { createdAt: '2026-01-01T00:00:00.000Z' }],
    ],
    [
      'a page of subscribers',
      SubscribersPage,
      { items: [{ email: 'a@b.c', createdAt: 'x' }], nextCursor: null, total: 1 },
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

  it('answers every endpoint error status with the error body', () => {
    for (const endpoint of Object.values(contract)) {
      for (const [status, schema] of Object.entries(endpoint.responses)) {
        if (Number(status) >= 400 && endpoint.path !== '/api/health') {
          expect(schema, `${endpoint.method} ${endpoint.path} ${status}`).toBe(ErrorBody);
        }
      }
    }
  });
});
