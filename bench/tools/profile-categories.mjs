#!/usr/bin/env node
// @ts-check
// Tool: a server's CPU profile as µs per request by part of a signup. Run: node bench/tools/profile-categories.mjs FILE.cpuprofile REQUESTS [--json]
//
// Charges every busy sample of a V8 .cpuprofile (`node --cpu-prof`) to one part of a request and
// divides by REQUESTS (the requests the process served while profiled). The parts, checked in
// this order for each sample:
//   gc, program          V8's own (garbage collector), (program);
//   writev               a socket write on the stack (the kernel sending the answer);
//   commit               catlist's BEGIN IMMEDIATE / COMMIT (`#open`, `#commitGroup` in
//                        db/sqlite/group-commit.js): with synchronous=FULL, the fdatasync too;
//   sqlite               a statement inside SQLite: the self time of the frames that call into
//                        better-sqlite3 (group-commit's `run`, Kysely's sqlite driver, the stock
//                        peer's file, whose own lines are trivial);
//   then the innermost frame that belongs to a known part: kysely (Kysely and catlist's db/,
//   stores/), ratelimit, body (koa-bodyparser, co-body, raw-body, catlist's json-body), validation
//   (@catlist/contracts, zod), session (koa-session, cookies, keygrip, catlist's session/; `hmac`
//   is the part of it with an HMAC on the stack, `regenerate` the part under koa-session's
//   regenerate() before its first await), httpparse (node:_http_common, _http_incoming,
//   parserOnIncoming), httpresp (node:_http_outgoing, _http_server), koa (koa, koa-compose,
//   @koa/router and their helpers), ours (catlist's other code, the bench peers' own lines);
//   rest: anything else (microtasks, Node core, the server's start spread over the requests).
// Profiles are wall time of the one thread: on a busy machine they include time the thread was
// runnable but not running, and a sync's wait in `commit`.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const [file, requestsArg] = args.filter((arg) => !arg.startsWith('--'));
const requests = Number(requestsArg);
if (!file || !(requests > 0)) {
  console.error('usage: node bench/tools/profile-categories.mjs FILE.cpuprofile REQUESTS [--json]');
  process.exit(2);
}

/**
 * @typedef {{ functionName: string, url: string, lineNumber: number }} CallFrame
 * @typedef {{ id: number, callFrame: CallFrame, children?: number[] }} ProfileNode
 */
/** @type {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} */
const profile = JSON.parse(readFileSync(file, 'utf8'));
/** @type {Map<number, ProfileNode>} */
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
/** @type {Map<number, number>} */
const parentOf = new Map();
for (const node of profile.nodes) {
  for (const child of node.children ?? []) parentOf.set(child, node.id);
}
/** @param {number} id @returns {CallFrame[]} leaf first */
function stackOf(id) {
  /** @type {CallFrame[]} */
  const stack = [];
  for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parentOf.get(at)) {
    const node = nodes.get(at);
    if (node) stack.push(node.callFrame);
  }
  return stack;
}

/** @type {[string, RegExp][]} innermost frame first; the first part whose URL matches */
const PARTS = [
  ['ours', /\/stores\/owner-token/],
  ['kysely', /\/kysely\/|\/apps\/api\/dist\/(db|stores)\//],
  ['ratelimit', /rate-limiter-flexible|\/http\/rate-limit/],
  [
    'body',
    /koa-bodyparser|co-body|raw-body|\/http\/(json-body|body-decoding)|inflation|@hapi\/bourne|iconv-lite|type-is|media-typer/,
  ],
  ['validation', /\/packages\/contracts\/|\/zod\/|\/http\/validate|punycode|tr46/],
  ['session', /koa-session|\/cookies\/|keygrip|\/apps\/api\/dist\/session\/|tsscmp|\/crc\//],
  ['httpparse', /node:_http_common|node:_http_incoming/],
  [
    'koa',
    /\/koa\/|koa-compose|@koa\/router|path-to-regexp|delegates|on-finished|ee-first|statuses|content-type|mime|accepts|negotiator|fresh|vary|encodeurl|escape-html|http-errors|depd|cache-content-type|ylru|destroy|parseurl/,
  ],
  ['ours', /\/apps\/api\/dist\/|\/bench\/(peers|baseline)/],
];
const WRITES =
  /^(writev|writeUtf8String|writeBuffer|writeLatin1String|writevGeneric|writeGeneric)$/;

/** @param {CallFrame} frame @returns {string | null} */
function partOfFrame({ url, functionName }) {
  if (!url) return null;
  if (/node:_http_server/.test(url))
    return /parserOn|Incoming/.test(functionName) ? 'httpparse' : 'httpresp';
  if (/node:_http_outgoing/.test(url)) return 'httpresp';
  for (const [part, pattern] of PARTS) if (pattern.test(url)) return part;
  return null;
}

/** @param {CallFrame} leaf @param {CallFrame[]} stack @returns {string[]} the part, and sub-parts */
function partsOf(leaf, stack) {
  if (leaf.functionName === '(garbage collector)') return ['gc'];
  if (leaf.functionName === '(program)') return ['program'];
  if (stack.some((frame) => WRITES.test(frame.functionName))) return ['writev'];
  if (
    stack.some(
      (frame) => /group-commit/.test(frame.url) && /#commitGroup|#open/.test(frame.functionName),
    )
  ) {
    return ['commit'];
  }
  const intoSqlite =
    (leaf.functionName === 'run' && /group-commit/.test(leaf.url)) ||
    (leaf.functionName === 'executeQuery' && /sqlite-driver/.test(leaf.url)) ||
    /better-sqlite3|\/peers\/stock-koa/.test(leaf.url);
  if (intoSqlite) return ['sqlite'];
  let part = 'rest';
  for (const frame of stack) {
    const found = partOfFrame(frame);
    if (found) {
      part = found;
      break;
    }
  }
  if (part === 'kysely' && !leaf.url) return ['sqlite'];
  if (part !== 'session') return [part];
  const parts = ['session'];
  const hmac = stack.some(
    (frame) =>
      (/^(Hmac|createHmac|digest|update)$/.test(frame.functionName) && /crypto/.test(frame.url)) ||
      /keygrip|signing-keys/.test(frame.url),
  );
  if (hmac) parts.push('hmac');
  if (stack.some((f) => /koa-session/.test(f.url) && f.functionName === 'regenerate')) {
    parts.push('regenerate');
  }
  return parts;
}

/** @type {Map<string, number>} */
const byPart = new Map();
let total = 0;
let idle = 0;
profile.samples.forEach((id, i) => {
  const us = Math.max(0, profile.timeDeltas[i] ?? 0);
  const leaf = nodes.get(id)?.callFrame;
  if (!leaf) return;
  total += us;
  if (leaf.functionName === '(idle)') {
    idle += us;
    return;
  }
  for (const part of partsOf(leaf, stackOf(id))) byPart.set(part, (byPart.get(part) ?? 0) + us);
});

const ORDER = [
  'httpparse',
  'koa',
  'session',
  'hmac',
  'regenerate',
  'body',
  'ratelimit',
  'validation',
  'ours',
  'kysely',
  'sqlite',
  'commit',
  'httpresp',
  'writev',
  'gc',
  'program',
  'rest',
];
const busy = total - idle;
/** @type {Record<string, number>} */
const usPerRequest = {};
for (const part of ORDER)
  usPerRequest[part] = Number(((byPart.get(part) ?? 0) / requests).toFixed(1));
if (args.includes('--json')) {
  console.log(
    JSON.stringify({
      file,
      requests,
      busyMs: busy / 1000,
      usPerRequest: busy / requests,
      parts: usPerRequest,
    }),
  );
} else {
  console.log(
    `${file}: ${(busy / 1000).toFixed(0)} ms busy over ${requests} requests, ` +
      `${(busy / requests).toFixed(0)} µs per request ("session" includes "hmac" and "regenerate")`,
  );
  for (const part of ORDER)
    console.log(`  ${part.padEnd(12)} ${String(usPerRequest[part]).padStart(7)} µs`);
}
