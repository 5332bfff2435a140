import type { ChallengeResponse } from '@catlist/contracts';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { afterEach, describe, expect, it } from 'vitest';
import { CHALLENGES_PER_MINUTE } from '../app.js';
import {
  countSessions,
  listEmails,
  startTestServer,
  TEST_SESSION_KEY,
  type TestServer,
} from '../test-support/test-server.js';

// The signup challenge end to end (docs/http-api.md, The signup challenge): challenges from
// GET /api/challenge, solved here by altcha-lib's own solver as the widget solves them in a
// browser, and spent by POST /api/signup.

const servers: TestServer[] = [];
afterEach(async () => {
  // The first server made the storage; the others share it and must stop before it goes.
  for (const server of servers.splice(0).reverse()) await server.cleanup();
});

/** Small, so that solving takes milliseconds; the work itself is altcha-lib's. */
const DIFFICULTY = 20;
const VALID_MS = 10 * 60 * 1000;

async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer({
    signupChallenge: { difficulty: DIFFICULTY, validMs: VALID_MS },
    ...options,
  });
  servers.push(server);
  return server;
}

async function challengeFrom(server: TestServer): Promise<ChallengeResponse> {
  const response = await server.request().get('/api/challenge').expect(200);
  expect(response.headers['cache-control']).toBe('no-store');
  return response.body as ChallengeResponse;
}

/** What the widget sends as `altcha`: base64 of the challenge and its solution. */
async function solve(challenge: ChallengeResponse): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('altcha-lib found no solution');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

async function solved(server: TestServer): Promise<string> {
  return solve(await challengeFrom(server));
}

function signup(server: TestServer, body: Record<string, unknown>) {
  return server.request().post('/api/signup').send(body);
}

function expectRefused(response: { status: number; body: unknown }) {
  expect(response.status).toBe(400);
  expect(response.body).toEqual({
    error: {
      code: 'challenge_failed',
      message: 'Please wait for the check to finish, then try again.',
    },
  });
}

describe('the signup challenge, on', () => {
  it('says so to the page, and issues signed challenges that expire', async () => {
    let clock = Date.parse('2026-03-01T09:00:00Z');
    const server = await start({ now: () => clock });
    expect((await server.request().get('/api/site').expect(200)).body.challenge).toBe(true);
    const challenge = await challengeFrom(server);
    expect(challenge.parameters).toMatchObject({
      algorithm: 'PBKDF2/SHA-256',
      expiresAt: (clock + VALID_MS) / 1000,
    });
    // Each challenge is new; none is cached anywhere.
    clock += 1000;
    expect((await challengeFrom(server)).signature).not.toBe(challenge.signature);
  });

  it('refuses a signup without a solution, and stores nothing', async () => {
    const server = await start();
    expectRefused(await signup(server, { email: 'cat@example.com' }));
    expectRefused(await signup(server, { email: 'cat@example.com', altcha: '' }));
    expect(await listEmails(server.database)).toEqual([]);
    expect(await countSessions(server.database)).toBe(0);
  });

  it('takes a signup with a solved challenge, once', async () => {
    const server = await start();
    const altcha = await solved(server);
    const first = await signup(server, { email: 'cat@example.com', altcha }).expect(200);
    expect(first.body).toEqual({ email: 'cat@example.com', subscribed: true });
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);

    expectRefused(await signup(server, { email: 'dog@example.com', altcha }));
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
    // A new challenge buys a new signup.
    await signup(server, { email: 'dog@example.com', altcha: await solved(server) }).expect(200);
    expect(await listEmails(server.database)).toEqual(['cat@example.com', 'dog@example.com']);
  });

  it('spends one solution once when two signups bring it at the same time', async () => {
    const server = await start();
    const altcha = await solved(server);
    const answers = await Promise.all(
      ['a@example.com', 'b@example.com', 'c@example.com'].map((email) =>
        signup(server, { email, altcha }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400]);
    expect(await listEmails(server.database)).toHaveLength(1);
  });

  it('leaves the challenge unspent when the signup itself fails', async () => {
    const server = await start();
    const altcha = await solved(server);
    const typo = await signup(server, { email: 'cat@', altcha }).expect(400);
    expect(typo.body.error.code).toBe('invalid_email');
    await signup(server, { email: 'cat@example.com', altcha }).expect(200);
  });

  it('refuses a solution that comes back after the challenge expired', async () => {
    let clock = Date.now();
    const server = await start({ now: () => clock });
    const altcha = await solved(server);
    clock += VALID_MS + 1000;
    expectRefused(await signup(server, { email: 'cat@example.com', altcha }));
    expect(await listEmails(server.database)).toEqual([]);
  });

  it('refuses tampered, wrong and garbled solutions', async () => {
    const server = await start();
    const challenge = await challengeFrom(server);
    const solution = await solveChallenge({ challenge, deriveKey });
    if (!solution) throw new Error('no solution');
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
    const refused = [
      // A longer life, an easier key to find: the signature no longer fits.
      encode({
        challenge: {
          ...challenge,
          parameters: { ...challenge.parameters, expiresAt: challenge.parameters.expiresAt + 3600 },
        },
        solution,
      }),
      encode({ challenge: { ...challenge, signature: '00'.repeat(32) }, solution }),
      // Another key, and a counter that is not the one.
      encode({ challenge, solution: { ...solution, derivedKey: 'ab'.repeat(32) } }),
      encode({ challenge, solution: { counter: solution.counter + 1, derivedKey: 'zz' } }),
      encode({ challenge }),
      encode({ challenge: { parameters: {} }, solution }),
      encode('altcha'),
      'not base64 at all',
      Buffer.from('{"challenge":').toString('base64'),
    ];
    for (const altcha of refused) {
      expectRefused(await signup(server, { email: 'cat@example.com', altcha }));
    }
    expect(await listEmails(server.database)).toEqual([]);
    // The untouched solution still works: none of the above spent it.
    await signup(server, {
      email: 'cat@example.com',
      altcha: encode({ challenge, solution }),
    }).expect(200);
  });

  it('refuses a challenge another server signed with other keys, takes one of a rotated key', async () => {
    const other = await start({ sessionKeys: ['another-key-0123456789abcdefghijklmn'] });
    const server = await start();
    expectRefused(await signup(server, { email: 'cat@example.com', altcha: await solved(other) }));
    // The old key, still listed after a rotation, verifies what it signed.
    const rotated = await start({
      sessionKeys: ['a-newer-key-0123456789abcdefghijklmn', TEST_SESSION_KEY],
      storage: server.storage,
    });
    await signup(rotated, { email: 'cat@example.com', altcha: await solved(server) }).expect(200);
  });

  it('refuses on one instance a solution spent on another sharing the database', async () => {
    const first = await start();
    const second = await start({ storage: first.storage });
    const altcha = await solved(first);
    await signup(first, { email: 'cat@example.com', altcha }).expect(200);
    expectRefused(await signup(second, { email: 'dog@example.com', altcha }));
    // And the other way round, with a challenge the second issued.
    const next = await solved(second);
    await signup(second, { email: 'dog@example.com', altcha: next }).expect(200);
    expectRefused(await signup(first, { email: 'fox@example.com', altcha: next }));
    expect(await listEmails(first.database)).toEqual(['cat@example.com', 'dog@example.com']);
  });

  it('issues at most 60 challenges a minute to one client', async () => {
    const server = await start();
    for (let i = 0; i < CHALLENGES_PER_MINUTE; i++) {
      await server.request().get('/api/challenge').expect(200);
    }
    const refused = await server.request().get('/api/challenge').expect(429);
    expect(refused.body.error.code).toBe('too_many_requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('forgets spent challenges once they expire, in the background sweep', async () => {
    let clock = Date.now();
    const server = await start({ now: () => clock });
    await signup(server, { email: 'cat@example.com', altcha: await solved(server) }).expect(200);
    const spent = () =>
      server.database.db.selectFrom('spent_challenges').select('signature').execute();
    expect(await spent()).toHaveLength(1);
    clock += VALID_MS + 1000;
    // Another instance starts, and sweeps at once.
    await start({ storage: server.storage, now: () => clock, background: true });
    await expect.poll(async () => (await spent()).length).toBe(0);
  });
});

describe('the signup challenge, off (the default)', () => {
  it('needs no solution, and GET /api/challenge is not there', async () => {
    const server = await startTestServer();
    servers.push(server);
    expect((await server.request().get('/api/site').expect(200)).body.challenge).toBe(false);
    const missing = await server.request().get('/api/challenge').expect(404);
    expect(missing.body.error.code).toBe('not_found');
    await signup(server, { email: 'cat@example.com' }).expect(200);
    // A solution sent anyway is ignored.
    await signup(server, { email: 'dog@example.com', altcha: 'anything' }).expect(200);
    expect(await listEmails(server.database)).toEqual(['cat@example.com', 'dog@example.com']);
  });
});
