import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { rawRequest, useListeners } from '../test-support/per-test.js';
import { createHttpServer } from './http-server.js';

// The body deadline (TimedRequest) is on arriving, never on answering.

const listen = useListeners();
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createHttpServer', () => {
  it('lets an answer take longer than the request deadline once the request has arrived', async () => {
    const app = new Koa();
    app.use(async (ctx) => {
      ctx.status = 200;
      ctx.set('Content-Type', 'text/plain');
      ctx.flushHeaders();
      await wait(700);
      ctx.res.write('slow ');
      await wait(700);
      ctx.body = 'done';
    });
    const url = await listen(createHttpServer(app, { requestTimeoutMs: 400 }));
    const answer = await rawRequest(url, '/slow');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('slow done');
    const posted = await rawRequest(url, '/slow', { method: 'POST', body: 'x' });
    expect(posted.status).toBe(200);
  });
});
