import { type Endpoint, errorBody } from '@catlist/contracts';
import Router from '@koa/router';
import Koa from 'koa';
import { pino } from 'pino';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ApiError } from '../http/api-error.js';
import { errorHandler } from '../http/error-handler.js';
import { type BindRoute, type RouteMiddleware, routeBinder } from './bind-route.js';

// Entries of a made-up contract: the binder takes any `Endpoint`, as the real ones are.
const Echo = z.object({ n: z.number() });
const echo = {
  method: 'POST',
  path: '/t/echo/:id',
  body: Echo,
  params: z.object({ id: z.string().check(z.maxLength(3)) }),
  responses: {
    200: z.object({ n: z.number(), id: z.string() }),
    400: errorBody('invalid_request'),
  },
} as const satisfies Endpoint;
const secret = {
  method: 'GET',
  path: '/t/secret',
  admin: true,
  responses: { 204: null, 401: errorBody('unauthorized') },
} as const satisfies Endpoint;
const download = {
  method: 'GET',
  path: '/t/file.csv',
  produces: 'text/csv',
  responses: { 200: null },
} as const satisfies Endpoint;

/** A stand-in for each piece of middleware, recording the order it ran in. */
function recorder() {
  const ran: string[] = [];
  const mark =
    (name: string): Koa.Middleware =>
    async (_ctx, next) => {
      ran.push(name);
      await next();
    };
  const middleware: RouteMiddleware = {
    originCheck: mark('origin'),
    jsonBody: async (ctx, next) => {
      ran.push('json');
      ctx.request.body = JSON.parse(ctx.get('X-Body') || 'null');
      await next();
    },
    formBody: async (ctx, next) => {
      ran.push('form');
      ctx.request.body = JSON.parse(ctx.get('X-Body') || '{}');
      await next();
    },
    session: mark('session'),
    requireAdmin: async (ctx, next) => {
      ran.push('admin');
      if (ctx.get('X-Admin') !== 'yes') throw new ApiError(401, 'unauthorized');
      await next();
    },
  };
  return { ran, middleware };
}

function serve(add: (bind: BindRoute) => void) {
  const { ran, middleware } = recorder();
  const router = new Router();
  add(routeBinder(router, middleware));
  const app = new Koa();
  app.use(errorHandler(pino({ level: 'silent' })));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { ran, request: supertest(app.callback()) };
}

describe('routeBinder', () => {
  it('registers the entry’s method and path, and hands the handler its parsed input', async () => {
    const { ran, request } = serve((bind) =>
      bind(echo, {
        use: [
          async (_ctx, next) => {
            await next();
          },
        ],
        handler: (_ctx, { body, params }) => ({ status: 200, body: { n: body.n, id: params.id } }),
      }),
    );
    const response = await request.post('/t/echo/abc').set('X-Body', '{"n":3}');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ n: 3, id: 'abc' });
    // Origin check and body parser for a POST; no session unless asked for, no admin guard.
    expect(ran).toEqual(['origin', 'json']);
    expect((await request.get('/t/echo/abc')).status).toBe(405);
  });

  it('answers 400 invalid_request when the body or params break the entry’s schema', async () => {
    const { request } = serve((bind) =>
      bind(echo, { handler: (_ctx, { body }) => ({ status: 200, body: { n: body.n, id: '' } }) }),
    );
    const badBody = await request.post('/t/echo/abc').set('X-Body', '{"n":"3"}');
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.code).toBe('invalid_request');
    expect(badBody.body.error.issues).toEqual([{ path: ['n'], message: expect.any(String) }]);
    const badParams = await request.post('/t/echo/abcd').set('X-Body', '{"n":3}');
    expect(badParams.body.error.issues[0].path).toEqual(['id']);
  });

  it('guards `admin: true` entries after the session and the route’s own middleware', async () => {
    const { ran, request } = serve((bind) =>
      bind(secret, {
        use: [
          async (_ctx, next) => {
            ran.push('own');
            await next();
          },
        ],
        handler: () => ({ status: 204 }),
      }),
    );
    expect((await request.get('/t/secret')).status).toBe(401);
    expect(ran).toEqual(['session', 'own', 'admin']);
    expect((await request.get('/t/secret').set('X-Admin', 'yes')).status).toBe(204);
  });

  it('sends a non-JSON body with the entry’s media type', async () => {
    const { request } = serve((bind) =>
      bind(download, { handler: () => ({ status: 200, body: 'email\r\na@example.com\r\n' }) }),
    );
    const response = await request.get('/t/file.csv');
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.text).toBe('email\r\na@example.com\r\n');
  });

  it('parses a form entry with the form parser, around which the route’s `around` runs', async () => {
    const form = {
      method: 'POST',
      path: '/t/form',
      form: z.object({ email: z.string() }),
      produces: 'text/html',
      responses: { 200: null, 400: null },
    } as const satisfies Endpoint;
    const { ran, request } = serve((bind) =>
      bind(form, {
        async around(ctx, next) {
          ran.push('around');
          try {
            await next();
          } catch {
            ctx.status = 400;
            ctx.type = 'html';
            ctx.body = '<p>refused</p>';
          }
        },
        handler: (_ctx, { body }) => ({ status: 200, body: `<p>${body.email}</p>` }),
      }),
    );
    const response = await request.post('/t/form').set('X-Body', '{"email":"a@example.com"}');
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toBe('<p>a@example.com</p>');
    expect(ran).toEqual(['around', 'origin', 'form']);
    // The form's schema judges the fields, and its refusal reaches `around`.
    const broken = await request.post('/t/form').set('X-Body', '{"email":["a","b"]}');
    expect(broken.status).toBe(400);
    expect(broken.text).toBe('<p>refused</p>');
  });

  it('runs neither the origin check nor a body parser on a one-click route', async () => {
    const oneClick = { method: 'POST', path: '/t/one-click', responses: { 204: null } } as const;
    const { ran, request } = serve((bind) =>
      bind(oneClick, { oneClick: true, handler: () => ({ status: 204 }) }),
    );
    expect(
      (await request.post('/t/one-click').type('multipart/form-data; boundary=x').send('--x--'))
        .status,
    ).toBe(204);
    expect(ran).toEqual([]);
  });

  it('answers 404 not_found, and runs nothing else, for a route whose feature is off', async () => {
    const { ran, request } = serve((bind) =>
      bind(echo, { off: true, handler: () => ({ status: 200, body: { n: 1, id: 'a' } }) }),
    );
    const response = await request.post('/t/echo/abc').set('X-Body', '{"n":3}');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
    expect(ran).toEqual([]);
  });

  it('lets the compiler refuse answers that break the contract', () => {
    // Never run: the point is `pnpm typecheck`, which fails if any line below compiles. (An extra
    // field is not among them: TypeScript checks excess properties of an object literal only
    // where it is assigned to a declared type, not in a callback's return; the OpenAPI check of
    // every test server's answers refuses it instead, test-support/openapi-check.ts.)
    const typeOnly = (bind: BindRoute) => {
      bind(echo, {
        // @ts-expect-error: `n` must be a number
        handler: () => ({ status: 200, body: { n: '1', id: 'a' } }),
      });
      bind(echo, {
        // @ts-expect-error: 201 is not a status of this entry
        handler: () => ({ status: 201, body: { n: 1, id: 'a' } }),
      });
      bind(secret, {
        // @ts-expect-error: 204 has no body
        handler: () => ({ status: 204, body: { n: 1 } }),
      });
      bind(echo, {
        // @ts-expect-error: the parsed body is `{ n: number }`, it has no `m`
        handler: (_ctx, { body }) => ({ status: 200, body: { n: body.m, id: 'a' } }),
      });
    };
    expect(typeOnly).toBeTypeOf('function');
  });
});
