// @ts-check
// The "bare-koa" peer: Koa with one middleware that answers every request with the same small
// JSON object (the size of a session answer). No routing, no body parsing, no session, no
// database: the ceiling of anything built on Koa, as baseline-server.mjs is of anything on Node.
// With BARE_KOA_HEADERS=1 it is the "bare-koa-headers" peer: the same, plus the six security
// headers catlist's API sends on every answer (apps/api/src/http/api-headers.ts, without
// CORS_ORIGINS): what Koa can do when it sends what catlist sends.
// Usage: PORT=0 HOST=127.0.0.1 [BARE_KOA_HEADERS=1] node peers/bare-koa.mjs
// (prints {"listening": port} when ready)
import Koa from 'koa';

const BODY = { email: 'bench@example.com', subscribed: true, admin: false };
const HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const app = new Koa();
if (process.env.BARE_KOA_HEADERS === '1') {
  app.use((ctx) => {
    ctx.set(HEADERS);
    ctx.body = BODY;
  });
} else {
  app.use((ctx) => {
    ctx.body = BODY;
  });
}

const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ listening: typeof address === 'object' ? address?.port : null }));
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
