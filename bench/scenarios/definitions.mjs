// @ts-check
// What the scenarios are: ids, titles, requests, targets, and the groups `--scenarios` accepts.
// Running them is in the other files of this folder.

/**
 * A throughput target for catlist in one scenario: a minimum ratio of its req/s to a peer's in
 * the same run, or a maximum p99.
 * @typedef {{ kind: 'ratio', peer: string, min: number } | { kind: 'p99', maxMs: number }} Target
 */

/**
 * How the load generator makes its requests:
 *   get               the same GET every time, with the visitor's cookie when `cookie` is set;
 *   signup            POST /api/signup, a new address and no cookie on every request;
 *   signup-returning  POST /api/signup, a new address, with the session cookie the server set on
 *                     that connection's previous signup (a visitor who signed up before signs up
 *                     again): catlist gives such a session a new id (session fixation), so this
 *                     is the signup path with the most writes.
 * @typedef {'get' | 'signup' | 'signup-returning'} LoadMode
 */

/**
 * @typedef {{ id: string, title: string, mode: LoadMode, path: string,
 *   cookie?: boolean, servers: string[], targets?: Target[] }} Scenario
 */

/**
 * The servers of the throughput scenarios, in the order every round runs them. The first is the
 * one measured; every other is a peer it is compared with.
 *   catlist    the built API (apps/api/dist/server.js)
 *   stock      peers/stock-koa.mjs: Koa + koa-session + SQLite as the docs would have it
 *   bare-koa   peers/bare-koa.mjs: Koa answering a constant, the ceiling of anything on Koa
 *   bare-koa-headers   peers/bare-koa.mjs with BARE_KOA_HEADERS=1: the same with the six security headers
 *              catlist's API sends, the ceiling of anything on Koa that sends them
 *   baseline   baseline-server.mjs: bare node:http, the ceiling of anything on Node
 */
export const THROUGHPUT_SERVERS = ['catlist', 'stock', 'bare-koa', 'bare-koa-headers', 'baseline'];

/**
 * The signup scenarios add one peer:
 *   koa-floor  peers/koa-floor.mjs: Koa + koa-session (store in a Map) + body parser + router +
 *              the six headers, a signup without any database: the floor of a signup inside Koa
 *              and koa-session
 */
export const SIGNUP_SERVERS = [
  'catlist',
  'stock',
  'koa-floor',
  'bare-koa',
  'bare-koa-headers',
  'baseline',
];

/** @type {Target[]} Both signup scenarios, new and returning visitor. */
const SIGNUP_TARGETS = [
  { kind: 'ratio', peer: 'stock', min: 1.5 },
  { kind: 'p99', maxMs: 25 },
];

/** @type {Scenario[]} */
export const SCENARIOS = [
  {
    id: 'session',
    title: 'GET /api/session, cookie of a signed-up visitor',
    mode: 'get',
    path: '/api/session',
    cookie: true,
    servers: THROUGHPUT_SERVERS,
    targets: [
      { kind: 'ratio', peer: 'stock', min: 1.5 },
      // bare-koa (no headers) is reported beside it, without a target.
      { kind: 'ratio', peer: 'bare-koa-headers', min: 0.7 },
    ],
  },
  {
    id: 'signup',
    title: 'POST /api/signup, new address and new visitor per request',
    mode: 'signup',
    path: '/api/signup',
    servers: SIGNUP_SERVERS,
    targets: SIGNUP_TARGETS,
  },
  {
    id: 'signup-returning',
    title: 'POST /api/signup, new address, with the session cookie of an earlier signup',
    mode: 'signup-returning',
    path: '/api/signup',
    servers: SIGNUP_SERVERS,
    targets: SIGNUP_TARGETS,
  },
  // bare-koa and bare-koa-headers answer a constant without a count in it: no place here.
  {
    id: 'stats',
    title: 'GET /api/stats',
    mode: 'get',
    path: '/api/stats',
    servers: ['catlist', 'stock', 'baseline'],
  },
];

// Issue 4: the signup and session loads again, on SQLite with one process (the same catlist as
// above), on PostgreSQL with one process, and on PostgreSQL with two processes sharing the
// database and SESSION_KEYS. Every configuration gets the same load shape: two load-generator
// processes with half the connections each, both at the one server or one at each of the two.
/** @typedef {{ id: string, base: string, title: string }} ScaleOutScenario */
/** @type {ScaleOutScenario[]} */
export const SCALE_OUT_SCENARIOS = [
  { id: 'pg-signup', base: 'signup', title: 'POST /api/signup: SQLite x1, PostgreSQL x1, x2' },
  { id: 'pg-session', base: 'session', title: 'GET /api/session: SQLite x1, PostgreSQL x1, x2' },
];
/** @typedef {'sqlite-1' | 'pg-1' | 'pg-2'} ScaleOutConfig */
/** @type {ScaleOutConfig[]} */
export const SCALE_OUT_CONFIGS = ['sqlite-1', 'pg-1', 'pg-2'];
/** @type {Record<ScaleOutConfig, string>} */
export const SCALE_OUT_LABELS = {
  'sqlite-1': 'SQLite, 1 process',
  'pg-1': 'PostgreSQL, 1 process',
  'pg-2': 'PostgreSQL, 2 processes',
};

// Issue 3: a catlist of its own on a fresh copy of a seeded file (1,000,000 rows by default);
// page and search latencies from one connection, sequential requests; the CSV export's time and
// the server's RSS during it.
/** @typedef {{ id: 'admin-page' | 'admin-csv', title: string }} AdminScenario */
/** @type {AdminScenario[]} */
export const ADMIN_SCENARIOS = [
  { id: 'admin-page', title: 'GET /api/admin/subscribers: pages and searches, one connection' },
  { id: 'admin-csv', title: 'GET /api/admin/subscribers.csv: the whole list' },
];
export const ADMIN_GOALS = { pageP50Ms: 5, exportRssGrowthMb: 50, growthP50Ms: 50 };

// Issues 25/26: the admin's growth chart over as many addresses, all within its 90 days, on
// SQLite and PostgreSQL (scenarios/admin-growth.mjs).
export const GROWTH_SCENARIO = {
  id: 'admin-growth',
  title: 'GET /api/admin/growth: the growth chart, every address within its 90 days',
};

// Issue 15: signups with confirmation by email on against the same load with it off.
/** @type {{ id: string, title: string }[]} */
export const CONFIRMATION_SCENARIOS = [
  { id: 'mail-signup', title: 'POST /api/signup: confirmation by email on vs off (SQLite)' },
];
/** With confirmation on, signups reach at least this share of the signups without. */
export const CONFIRMATION_TARGET = 0.8;

// Issue 26: announcements. announce-queue: every recipient of a list (--announce-rows, 100,000)
// queued, on SQLite and PostgreSQL, with a steady signup load meanwhile; announce-delivery:
// unpaced delivery of --announce-mails mails against nodemailer alone. scenarios/announcements.mjs
/** @type {{ id: 'announce-queue' | 'announce-delivery', title: string }[]} */
export const ANNOUNCE_SCENARIOS = [
  {
    id: 'announce-queue',
    title: 'An announcement to the whole list: queueing, memory, signups meanwhile',
  },
  {
    id: 'announce-delivery',
    title: 'Unpaced announcement mails to a local SMTP server vs nodemailer alone',
  },
];
/**
 * Queueing done within queueS, the server's RSS growing by less than rssGrowthMb meanwhile, and
 * the signups arriving meanwhile (--announce-signup-rate a second) answered with a p99 under
 * signupP99Ms; unpaced delivery at least deliveryRatio × nodemailer alone's mails/s.
 */
export const ANNOUNCE_GOALS = {
  queueS: 10,
  rssGrowthMb: 50,
  signupP99Ms: 50,
  deliveryRatio: 0.8,
};

/** Every scenario id, in running order, and the group names `--scenarios` expands. */
/** @type {Record<string, string[]>} */
export const GROUPS = {
  all: [
    ...SCENARIOS.map((s) => s.id),
    ...SCALE_OUT_SCENARIOS.map((s) => s.id),
    ...ADMIN_SCENARIOS.map((s) => s.id),
    GROWTH_SCENARIO.id,
    ...CONFIRMATION_SCENARIOS.map((s) => s.id),
    ...ANNOUNCE_SCENARIOS.map((s) => s.id),
  ],
  pg: SCALE_OUT_SCENARIOS.map((s) => s.id),
  admin: [...ADMIN_SCENARIOS.map((s) => s.id), GROWTH_SCENARIO.id],
  announce: ANNOUNCE_SCENARIOS.map((s) => s.id),
};
