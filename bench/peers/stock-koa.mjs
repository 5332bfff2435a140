// @ts-check
// The "stock" peer: the signup list a Koa developer would write from the docs, with default
// options: Koa 3, koa-session 7 (signed cookie, one key) with its sessions kept in SQLite
// through better-sqlite3 (WAL, synchronous=NORMAL, prepared statements), koa-bodyparser and
// @koa/router. It answers the benchmarked routes with the same JSON shapes as catlist:
//   GET  /api/session  { email, subscribed, admin: false } for the visitor's session;
//   POST /api/signup   { email } in, stored, remembered in the session: { email, subscribed };
//   GET  /api/stats    { subscribers } (a count of the table);
//   GET  /api/health   { status: 'ok' }.
// Usage: PORT=0 HOST=127.0.0.1 STOCK_DB=FILE node peers/stock-koa.mjs
//   (prints {"listening": port} when ready; STOCK_DB defaults to an in-memory database)
import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import Database from 'better-sqlite3';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import session from 'koa-session';

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

const db = new Database(process.env.STOCK_DB || ':memory:');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`
  create table if not exists subscribers (email text primary key, created_at integer not null);
  create table if not exists sessions (id text primary key, data text, expires integer);
`);

const statements = {
  getSession: db.prepare('select data, expires from sessions where id = ?'),
  setSession: db.prepare(
    'insert into sessions (id, data, expires) values (?, ?, ?) ' +
      'on conflict (id) do update set data = excluded.data, expires = excluded.expires',
  ),
  destroySession: db.prepare('delete from sessions where id = ?'),
  isSubscribed: db.prepare('select 1 from subscribers where email = ?'),
  subscribe: db.prepare(
    'INSERT INTO subscribers(email, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
  ),
  count: db.prepare('select count(*) as n from subscribers'),
};

/** koa-session's external store, kept in the sessions table. */
const store = {
  /** @param {string} id */
  async get(id) {
    const row = /** @type {{ data: string, expires: number } | undefined} */ (
      statements.getSession.get(id)
    );
    if (!row || row.expires < Date.now()) return undefined;
    return JSON.parse(row.data);
  },
  /**
   * @param {string} id
   * @param {unknown} data
   * @param {number | 'session'} maxAge
   */
  async set(id, data, maxAge) {
    const expires = Date.now() + (typeof maxAge === 'number' ? maxAge : ONE_DAY_MS);
    statements.setSession.run(id, JSON.stringify(data), expires);
  },
  /** @param {string} id */
  async destroy(id) {
    statements.destroySession.run(id);
  },
};

const app = new Koa();
app.keys = [process.env.STOCK_KEY || randomBytes(32).toString('base64url')];
app.use(session({ store }, app));
app.use(bodyParser());

const router = new Router({ prefix: '/api' });
router.get('/health', (ctx) => {
  ctx.body = { status: 'ok' };
});
router.get('/session', (ctx) => {
  const email = ctx.session?.email ?? null;
  const subscribed = email !== null && statements.isSubscribed.get(email) !== undefined;
  ctx.body = { email, subscribed, admin: false };
});
router.post('/signup', (ctx) => {
  const email = /** @type {{ email?: unknown } | undefined} */ (ctx.request.body)?.email;
  if (typeof email !== 'string' || email.split('@').length !== 2) {
    ctx.status = 400;
    ctx.body = { error: { code: 'invalid_email', message: 'That is not an email address.' } };
    return;
  }
  statements.subscribe.run(email, Date.now());
  if (ctx.session) ctx.session.email = email;
  ctx.body = { email, subscribed: true };
});
router.get('/stats', (ctx) => {
  const row = /** @type {{ n: number }} */ (statements.count.get());
  ctx.body = { subscribers: row.n };
});
app.use(router.routes()).use(router.allowedMethods());

const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ listening: typeof address === 'object' ? address?.port : null }));
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () =>
    server.close(() => {
      db.close();
      process.exit(0);
    }),
  );
}
