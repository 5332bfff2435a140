import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.cleanup();
});

function captureLogs(level: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe('request logs', () => {
  it('log one structured line per request with route, status and duration', async () => {
    const { logger, lines } = captureLogs('info');
    server = await startTestServer({ logger });
    await server.request().get('/api/stats').expect(200);
    await server.request().get('/api/nope').expect(404);
    const entries = lines
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'request');
    expect(entries).toEqual([
      expect.objectContaining({
        method: 'GET',
        route: '/api/stats',
        status: 200,
        ms: expect.any(Number),
      }),
      expect.objectContaining({ method: 'GET', path: '/api/nope', status: 404 }),
    ]);
  });

  it('never contain an email address at info, whatever the visitor does', async () => {
    const { logger, lines } = captureLogs('info');
    server = await startTestServer({ logger });
    const browser = server.browser();
    await browser.post('/api/signup').send({ email: 'Private.Person@Example.com' }).expect(200);
    await browser.get('/api/session').expect(200);
    await browser.post('/api/unregister').expect(200);
    await browser.post('/api/unregister').expect(409);
    await browser.post('/api/signup').send({ email: 'private.person@' }).expect(400);
    await browser.get('/api/private.person%40example.com').expect(404);
    await browser.get('/api/x/private.person@example.com').expect(404);

    expect(lines.length).toBeGreaterThanOrEqual(7);
    const all = lines.join('\n').toLowerCase();
    expect(all).not.toContain('private.person');
    expect(all).not.toContain('example.com');
  });

  it('log unexpected errors with their details, while the client gets a generic 500', async () => {
    const { logger, lines } = captureLogs('info');
    server = await startTestServer({ logger });
    await server.database.close();
    await server.request().get('/api/stats').expect(500);
    const error = lines.map((line) => JSON.parse(line)).find((entry) => entry.level === 50);
    expect(error).toMatchObject({ msg: 'unhandled error', err: { message: expect.any(String) } });
  });
});
