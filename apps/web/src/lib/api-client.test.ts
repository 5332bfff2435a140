import { describe, expect, it, vi } from 'vitest';
import { adminApi } from '../features/admin/admin-api';
import { callsTo, mockApi, reply } from '../test/fetch-mock';
import { ApiError, api, parseRetryAfter } from './api-client';

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('api client', () => {
  it('sends every call with credentials and parses the answer with the contract', async () => {
    const spy = mockApi({
      'GET /api/session': reply(200, { email: 'cat@example.com', subscribed: true, admin: false }),
      'GET /api/stats': reply(200, { subscribers: 3 }),
    });
    await expect(api.getSession()).resolves.toEqual({
      email: 'cat@example.com',
      subscribed: true,
      admin: false,
    });
    await expect(api.getStats()).resolves.toEqual({ subscribers: 3 });
    for (const [input, init] of spy.mock.calls) {
      expect(String(input)).toMatch(/^\/api\//); // same origin when VITE_API_URL is unset
      expect(init?.credentials).toBe('include');
    }
  });

  it('posts JSON with a content type only when there is a body', async () => {
    const spy = mockApi({
      'POST /api/signup': reply(200, { email: 'cat@example.com', subscribed: true }),
      'POST /api/unregister': reply(200, { removed: 'cat@example.com' }),
    });
    await api.signup({ email: 'cat@example.com', website: '' });
    await api.unregister();
    const [signup] = callsTo(spy, 'POST /api/signup');
    expect(signup?.body).toEqual({ email: 'cat@example.com', website: '' });
    expect(new Headers(signup?.init?.headers).get('Content-Type')).toBe('application/json');
    const [unregister] = callsTo(spy, 'POST /api/unregister');
    expect(unregister?.init?.body).toBeUndefined();
    expect(new Headers(unregister?.init?.headers).get('Content-Type')).toBeNull();
  });

  it('fills path parameters, percent-encoded, and appends only the query keys given', async () => {
    const spy = mockApi({
      'GET /api/admin/subscribers': reply(200, { items: [], nextCursor: null, total: 0 }),
      'DELETE /api/admin/subscribers/a%2Fb%3Fc%40example.com': reply(204),
      'POST /api/admin/logout': reply(204),
    });
    await adminApi.listSubscribers({ limit: 50, cursor: 'abc=', q: undefined });
    await expect(adminApi.deleteSubscriber('a/b?c@example.com')).resolves.toBeUndefined();
    await expect(adminApi.adminLogout()).resolves.toBeUndefined();
    expect(spy.mock.calls.map(([input]) => String(input))).toEqual([
      '/api/admin/subscribers?limit=50&cursor=abc%3D',
      '/api/admin/subscribers/a%2Fb%3Fc%40example.com',
      '/api/admin/logout',
    ]);
    expect(adminApi.subscribersCsvUrl()).toBe('/api/admin/subscribers.csv');
  });

  it('turns an error body into an ApiError with status, code and message', async () => {
    mockApi({
      'POST /api/unregister': reply(409, {
        error: { code: 'no_email_in_session', message: "You haven't submitted an email!" },
      }),
    });
    const error = await failure(api.unregister());
    expect(error).toMatchObject({
      status: 409,
      code: 'no_email_in_session',
      message: "You haven't submitted an email!",
      retryAfter: null,
    });
  });

  it("keeps invalid_request's issues, to tie each to its field", async () => {
    const issues = [{ path: ['texts', 'de', 'submit'], message: 'Too long' }];
    mockApi({
      'POST /api/admin/settings': reply(400, {
        error: { code: 'invalid_request', message: 'Bad settings.', issues },
      }),
    });
    const error = await failure(
      adminApi.saveSettings({
        name: null,
        tagline: null,
        privacyUrl: null,
        accentColor: null,
        showCount: true,
        texts: {},
      }),
    );
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', issues });
  });

  it('sends the logo as the file it is, with its own type', async () => {
    const spy = mockApi({ 'POST /api/admin/logo': reply(200, { logoUrl: '/logo/a.webp' }) });
    const file = new File([new Uint8Array([1, 2])], 'logo.webp', { type: 'image/webp' });
    expect(await adminApi.uploadLogo(file)).toEqual({ logoUrl: '/logo/a.webp' });
    const init = spy.mock.calls[0]?.[1] as RequestInit;
    expect(init.headers).toMatchObject({ 'Content-Type': 'image/webp' });
    expect(init.body).toBe(file);
  });

  it('reads Retry-After on 429', async () => {
    mockApi({
      'POST /api/signup': reply(
        429,
        { error: { code: 'too_many_requests', message: 'Too many requests.' } },
        { 'Retry-After': '42' },
      ),
    });
    const error = await failure(api.signup({ email: 'cat@example.com' }));
    expect(error).toMatchObject({ status: 429, code: 'too_many_requests', retryAfter: 42 });
  });

  it('reports a network failure as network_error with status 0', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const error = await failure(api.getStats());
    expect(error).toMatchObject({ status: 0, code: 'network_error' });
    // No words of its own: each page says the code in its language.
    expect(error.message).toBe('');
  });

  it('refuses answers that break the contract', async () => {
    mockApi({ 'GET /api/stats': reply(200, { subscribers: 'many' }) });
    expect(await failure(api.getStats())).toMatchObject({ status: 200, code: 'invalid_response' });
  });

  it('refuses error answers without the error body', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<h1>I am a teapot</h1>', { status: 418 })),
    );
    const error = await failure(api.getSession());
    expect(error).toMatchObject({ status: 418, code: 'invalid_response' });
    expect(error.message).toBe('');
  });

  it("says the API is not reachable when a proxy answers for it (Vite's empty 502, nginx's page)", async () => {
    for (const [status, body] of [
      [502, ''],
      [502, '<h1>502 Bad Gateway</h1>'],
      [503, '<h1>Service Unavailable</h1>'],
      [504, '<h1>Gateway Time-out</h1>'],
    ] as const) {
      vi.stubGlobal(
        'fetch',
        vi.fn(async () => new Response(body, { status })),
      );
      const error = await failure(api.getSession());
      expect(error).toMatchObject({ status, code: 'api_unreachable' });
      expect(error.message).toBe('');
    }
  });

  it('lets a cancelled call reject with its abort, not a network error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (_input: RequestInfo | URL, init?: RequestInit) =>
          new Promise((_resolve, reject) => {
            init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
          }),
      ),
    );
    const controller = new AbortController();
    const call = api.getSession(controller.signal);
    controller.abort();
    await expect(call).rejects.not.toBeInstanceOf(ApiError);
  });
});

describe("the signup page's calls", () => {
  it('send their request before the part that reads answers has loaded', async () => {
    vi.resetModules();
    let loadClient = () => {};
    const loaded = new Promise<void>((resolve) => {
      loadClient = resolve;
    });
    vi.doMock('./call', async () => {
      await loaded;
      return vi.importActual('./call');
    });
    const fresh = await import('./api-client');
    const spy = mockApi({ 'GET /api/stats': reply(200, { subscribers: 3 }) });
    const stats = fresh.api.getStats();
    await vi.waitFor(() => expect(callsTo(spy, 'GET /api/stats')).toHaveLength(1));
    loadClient();
    await expect(stats).resolves.toEqual({ subscribers: 3 });
    vi.doUnmock('./call');
  });

  it('report a part that does not load as network_error, and ask for it again next time', async () => {
    vi.resetModules();
    vi.doMock('./call', () => {
      throw new TypeError('Failed to fetch dynamically imported module');
    });
    const fresh = await import('./api-client');
    mockApi({ 'GET /api/stats': reply(200, { subscribers: 3 }) });
    await expect(fresh.api.getStats()).rejects.toMatchObject({ status: 0, code: 'network_error' });
    vi.doUnmock('./call');
    await expect(fresh.api.getStats()).resolves.toEqual({ subscribers: 3 });
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates (RFC 9110 §10.2.3)', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});
