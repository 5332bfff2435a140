import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNUPS_PER_MINUTE } from '../app.js';
import { listEmails, startTestServer, type TestServer } from '../test-support/test-server.js';
import { ApiError } from './api-error.js';
import { spendPoint } from './rate-limit.js';

const servers: TestServer[] = [];
async function start(trustProxy: boolean) {
  const server = await startTestServer({ trustProxy });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.cleanup()));
});

function signup(server: TestServer, n: number, forwardedFor?: string) {
  const request = server.request().post('/api/signup');
  if (forwardedFor) request.set('X-Forwarded-For', forwardedFor);
  return request.send({ email: `visitor${n}@example.com` });
}

describe('the signup rate limit', () => {
  it('answers the 31st signup in a minute from one IP with 429 and Retry-After', async () => {
    const server = await start(false);
    for (let n = 1; n <= SIGNUPS_PER_MINUTE; n++) await signup(server, n).expect(200);

    const refused = await signup(server, 31);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_requests');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.error.message).toContain(`${retryAfter} s`);
    expect(await listEmails(server.database)).toHaveLength(SIGNUPS_PER_MINUTE);
    expect(await listEmails(server.database)).not.toContain('visitor31@example.com');
  });

  it('counts invalid attempts too, so guessing cannot bypass it', async () => {
    const server = await start(false);
    for (let n = 1; n <= SIGNUPS_PER_MINUTE; n++) {
      await server.request().post('/api/signup').send({ email: 'nope' }).expect(400);
    }
    await signup(server, 1).expect(429);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: rotating it does not reset the limit', async () => {
    const server = await start(false);
    for (let n = 1; n <= SIGNUPS_PER_MINUTE; n++)
      await signup(server, n, `198.51.100.${n}`).expect(200);
    await signup(server, 31, '198.51.100.200').expect(429);
  });

  it('honours X-Forwarded-For with TRUST_PROXY: each client address has its own limit', async () => {
    const server = await start(true);
    for (let n = 1; n <= SIGNUPS_PER_MINUTE; n++)
      await signup(server, n, '198.51.100.1').expect(200);
    await signup(server, 31, '198.51.100.1').expect(429);
    await signup(server, 32, '198.51.100.2').expect(200);
  });

  it('with TRUST_PROXY uses the address the proxy saw, not one the client prepended', async () => {
    const server = await start(true);
    for (let n = 1; n <= SIGNUPS_PER_MINUTE; n++) {
      await signup(server, n, `10.9.9.${n}, 198.51.100.1`).expect(200);
    }
    await signup(server, 31, '10.9.9.99, 198.51.100.1').expect(429);
  });

  it('does not limit reading the session or the stats', async () => {
    const server = await start(false);
    for (let n = 0; n < SIGNUPS_PER_MINUTE + 5; n++) {
      await server.request().get('/api/session').expect(200);
    }
  });
});

describe('spending a point', () => {
  // On PostgreSQL the limiter's counts live in the database: when it fails, the request fails as
  // a server error (public-routes.test.ts, "the database fails mid-request"), never as a 429 that
  // would tell the client to retry after NaN seconds. The in-memory limiter of SQLite cannot
  // fail, so this is shown here with a limiter whose store is down.
  it('lets a failure of the limiter’s store through instead of answering 429', async () => {
    const failure = new Error('store down');
    const limiter = { consume: () => Promise.reject(failure) } as unknown as RateLimiterAbstract;
    const spent = spendPoint(
      { limiter, code: 'too_many_requests', message: (s) => `wait ${s} s` },
      '127.0.0.1',
    );
    await expect(spent).rejects.toBe(failure);
    await expect(spent).rejects.not.toBeInstanceOf(ApiError);
  });
});
