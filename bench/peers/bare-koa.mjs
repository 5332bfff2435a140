// @ts-check
// The "bare-koa" peer: Koa with one middleware that answers every request with the same small
// JSON object (the size of a session answer). No routing, no body parsing, no session, no
// database: the ceiling of anything built on Koa, as baseline-server.mjs is of anything on Node.
// Usage: PORT=0 HOST=127.0.0.1 node peers/bare-koa.mjs  (prints {"listening": port} when ready)
import Koa from 'koa';

const BODY = { email: 'bench@example.com', subscribed: true, admin: false };

const app = new Koa();
app.use((ctx) => {
  ctx.body = BODY;
});

const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ listening: typeof address === 'object' ? address?.port : null }));
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
