// @ts-check
// The baseline: the most plain Node does on this machine. A bare node:http server, no framework,
// answering the benchmarked routes with the same JSON shapes as catlist:
//   GET  /api/session  a constant body;
//   POST /api/signup   parses the JSON body and adds the address to an in-memory Set;
//   GET  /api/stats    the Set's size.
// Usage: PORT=0 HOST=127.0.0.1 node baseline-server.mjs  (prints {"listening": port} when ready)
import { createServer } from 'node:http';

const SESSION_BODY = JSON.stringify({ email: 'bench@example.com', subscribed: true, admin: false });
const JSON_TYPE = 'application/json; charset=utf-8';
const emails = new Set();

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} body
 */
function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/session') {
    send(res, 200, SESSION_BODY);
  } else if (req.method === 'GET' && req.url === '/api/stats') {
    send(res, 200, JSON.stringify({ subscribers: emails.size }));
  } else if (req.method === 'GET' && req.url === '/api/health') {
    send(res, 200, '{"status":"ok"}');
  } else if (req.method === 'POST' && req.url === '/api/signup') {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const { email } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (typeof email !== 'string') throw new TypeError('email');
        emails.add(email);
        send(res, 200, JSON.stringify({ email, subscribed: true }));
      } catch {
        send(res, 400, '{"error":{"code":"invalid_json","message":"Bad body."}}');
      }
    });
  } else {
    send(res, 404, '{"error":{"code":"not_found","message":"Not found."}}');
  }
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ listening: typeof address === 'object' ? address?.port : null }));
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
