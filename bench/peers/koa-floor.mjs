// @ts-check
// The "koa-floor" peer: what a signup costs inside Koa and koa-session before any durable
// storage. Koa 3, koa-session 7 with an external store in a Map (so the cookie carries only a
// signed id, as catlist's does: `sid` + `sid.sig`, the same cookie options), koa-bodyparser for
// JSON, @koa/router, and the six security headers catlist's API sends
// (apps/api/src/http/api-headers.ts). POST /api/signup does only the framework part of a catlist
// signup: parse the JSON body, check the address minimally, set `ctx.session.email`, give an
// existing session a new id (`await ctx.session.regenerate()`), answer. No database at all.
//   POST /api/signup   { email } in: { email, subscribed: true } (the bench checks `subscribed`);
//   GET  /api/session  { email, subscribed, admin: false } from the session;
//   GET  /api/health   { status: 'ok' }.
// Usage: PORT=0 HOST=127.0.0.1 node peers/koa-floor.mjs (prints {"listening": port} when ready)
import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import session from 'koa-session';

const MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
const HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** @type {Map<string, unknown>} */
const sessions = new Map();
/** koa-session's external store, in memory. */
const store = {
  /** @param {string} id */
  get: async (id) => sessions.get(id),
  /** @param {string} id @param {unknown} data */
  set: async (id, data) => {
    sessions.set(id, data);
  },
  /** @param {string} id */
  destroy: async (id) => {
    sessions.delete(id);
  },
};

const app = new Koa();
app.keys = [randomBytes(32).toString('base64url')];
app.use(async (ctx, next) => {
  ctx.set(HEADERS);
  await next();
});
app.use(
  session(
    {
      key: 'sid',
      maxAge: MAX_AGE_MS,
      httpOnly: true,
      signed: true,
      sameSite: 'lax',
      overwrite: true,
      renew: true,
      rolling: false,
      genid: () => randomBytes(32).toString('base64url'),
      store,
    },
    app,
  ),
);
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' }));

const router = new Router({ prefix: '/api' });
router.get('/health', (ctx) => {
  ctx.body = { status: 'ok' };
});
router.get('/session', (ctx) => {
  const email = ctx.session?.email ?? null;
  ctx.body = { email, subscribed: email !== null, admin: false };
});
router.post('/signup', async (ctx) => {
  const email = /** @type {{ email?: unknown } | undefined} */ (ctx.request.body)?.email;
  const at = typeof email === 'string' ? email.indexOf('@') : -1;
  if (
    typeof email !== 'string' ||
    email.length > 254 ||
    at < 1 ||
    at !== email.lastIndexOf('@') ||
    at === email.length - 1
  ) {
    ctx.status = 400;
    ctx.body = { error: { code: 'invalid_email', message: 'That is not an email address.' } };
    return;
  }
  const current = ctx.session;
  if (!current) throw new Error('session middleware missing');
  current.email = email;
  if (!current.isNew) await current.regenerate();
  ctx.body = { email, subscribed: true };
});
app.use(router.routes()).use(router.allowedMethods());

const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ listening: typeof address === 'object' ? address?.port : null }));
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
