// @ts-check
// The "bare-koa-headers" peer: bare-koa.mjs plus the six security headers catlist's API sends on
// every answer (apps/api/src/middleware/api-headers.ts, as set without CORS_ORIGINS): the same
// constant JSON object, no routing, no body parsing, no session, no database. What Koa can do
// when it sends what catlist sends, so the session target can ask for a share of it.
// Usage: PORT=0 HOST=127.0.0.1 node peers/bare-koa-headers.mjs  (prints {"listening": port})
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
app.use((ctx) => {
  ctx.set(HEADERS);
  ctx.body = BODY;
});

const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ listening: typeof address === 'object' ? address?.port : null }));
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
