import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkEmail, contract, type SignupResponse } from '@catlist/contracts';
import Cookies from 'cookies';
import type { Logger } from 'pino';
import * as z from 'zod/mini';
import type { SessionStore } from '../db/session-store.js';
import type { SubscriberStore } from '../db/subscriber-store.js';
import { BODY_LIMIT_BYTES, handOverBody, parseJsonBody } from '../middleware/json-body.js';
import type { RateLimitOptions } from '../middleware/rate-limit.js';
import {
  newSessionId,
  SESSION_COOKIE,
  SESSION_COOKIE_OPTIONS,
  SESSION_STORE_GRACE_MS,
} from '../session/session-middleware.js';
import type { SigningKeys } from '../session/signing-keys.js';
import { type FastPath, jsonAnswerer, SESSION_ID } from './fast-path.js';

export interface SignupFastPathDeps {
  keys: SigningKeys;
  sessions: SessionStore;
  subscribers: SubscriberStore;
  /** The very limiter the Koa route spends from. */
  signupLimit: RateLimitOptions;
  trustProxy: boolean;
  crossOrigin: boolean;
  logger: Logger;
  now: () => number;
}

const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);
const BOM = 0xfeff;

/**
 * POST /api/signup for what nearly every signup is: a new visitor (no session cookie) sending a
 * small JSON body from our own origin, with a valid address, under the rate limit. Koa, its body
 * parser and koa-session were most of a signup's cost (docs/benchmarks.md); here the same steps
 * run in a straight line, and the two writes share one commit. The answer, the stored rows and the
 * cookies are the ones the Koa app produces (the parity test holds them side by side).
 *
 * Anything else is left to Koa before the body is read (another origin, a session cookie, a
 * chunked, compressed, large or non-JSON body, ...) or, once it is read, with the body handed over
 * (`handOverBody`): a body that does not parse or validate, a honeypot, a client over the limit,
 * a failed write. Nothing is written on the way to handing over, so Koa starts from scratch (a
 * client over the limit spends one more point, which changes nothing for it).
 */
export function signupFastPath(deps: SignupFastPathDeps): FastPath {
  const { keys, sessions, subscribers, signupLimit, trustProxy, logger, now } = deps;
  const sendJson = jsonAnswerer({ crossOrigin: deps.crossOrigin, logger });

  async function signUp(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const started = performance.now();
    const text = await readText(req);
    // Cut short: the client went away, or the request timeout answered it (http-server.ts).
    if (text === null) return true;
    const email = acceptableEmail(text);
    if (email === null) {
      handOverBody(req, text);
      return false;
    }
    try {
      await signupLimit.limiter.consume(clientIp(req, trustProxy));
    } catch {
      // Over the limit (or the limiter's store failing): Koa answers 429 (or 503).
      handOverBody(req, text);
      return false;
    }

    // What koa-session stores for a new session holding `email` (its own two fields last).
    const id = newSessionId();
    const session = {
      email,
      _expire: Date.now() + SESSION_COOKIE_OPTIONS.maxAge,
      _maxAge: SESSION_COOKIE_OPTIONS.maxAge,
    };
    const expiresAt = now() + SESSION_COOKIE_OPTIONS.maxAge + SESSION_STORE_GRACE_MS;
    try {
      // Issued together, so one commit (and one log sync) covers both.
      await Promise.all([
        subscribers.add(email, now()),
        sessions.set(id, session, expiresAt, 'insert'),
      ]);
    } catch (error) {
      // Koa tries again and answers (503 while the database is away). Its first attempt spends
      // a second point of the client's limit; and on PostgreSQL, where the two writes commit
      // separately, a session stored for nobody goes now rather than in 30 days.
      logger.debug({ err: error }, 'signup fast path: write failed, left to Koa');
      await sessions.destroy(id).catch(() => {});
      handOverBody(req, text);
      return false;
    }

    const secure = requestProtocol(req, trustProxy) === 'https';
    new Cookies(req, res, { keys, secure }).set(SESSION_COOKIE, id, SESSION_COOKIE_OPTIONS);
    const body: SignupResponse = { email, subscribed: true };
    sendJson(req, res, contract.signup.path, body, started);
    return true;
  }

  return function signupFastPath(req, res) {
    if (req.method !== 'POST' || req.url !== contract.signup.path) return false;
    const h = req.headers;
    if (!JSON_TYPES.has(h['content-type']?.toLowerCase() ?? '')) return false;
    if (h['transfer-encoding'] !== undefined || h['content-encoding'] !== undefined) return false;
    const length = Number(h['content-length']);
    if (!Number.isInteger(length) || length <= 0 || length > BODY_LIMIT_BYTES) return false;
    if (h.cookie !== undefined && SESSION_ID.test(h.cookie)) return false;
    // Our own origin only (another one is refused, or answered with CORS headers, by Koa).
    if (h.origin === undefined) {
      if (h['sec-fetch-site'] === 'cross-site') return false;
    } else {
      const host = requestHost(req, trustProxy);
      if (host === null || h.origin !== `${requestProtocol(req, trustProxy)}://${host}`) {
        return false;
      }
    }
    return signUp(req, res);
  };
}

/** The body as text, decoded as co-body does (UTF-8, a leading BOM dropped); null if cut short. */
function readText(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve(text.charCodeAt(0) === BOM ? text.slice(1) : text);
    });
    // Whichever comes first wins: after 'end', these change nothing.
    req.once('aborted', () => resolve(null));
    req.once('error', () => resolve(null));
    req.once('close', () => resolve(null));
  });
}

/** The normalised address, when the body is a valid signup by a person; null otherwise. */
function acceptableEmail(text: string): string | null {
  let input: unknown;
  try {
    input = parseJsonBody(text);
  } catch {
    return null;
  }
  const parsed = z.safeParse(contract.signup.body, input);
  if (!parsed.success) return null;
  const { email, website } = parsed.data;
  if (website !== undefined && website !== '') return null; // the honeypot: Koa's answer
  const checked = checkEmail(email);
  return checked.ok ? checked.email : null;
}

// Koa's own reading of these (koa/lib/request.js: protocol, host, ips, ip), for a Koa app made with
// `proxy: trustProxy` and `maxIpsCount: 1`.

function firstValue(value: string): string {
  return value.split(',', 1)[0]?.trim() ?? '';
}

function requestProtocol(req: IncomingMessage, trustProxy: boolean): string {
  if ((req.socket as { encrypted?: boolean }).encrypted) return 'https';
  if (!trustProxy) return 'http';
  const proto = req.headers['x-forwarded-proto'];
  return typeof proto === 'string' && proto ? firstValue(proto).toLowerCase() : 'http';
}

/** The host as Koa reads it; null when it is not plain (Koa then reads it with more care). */
function requestHost(req: IncomingMessage, trustProxy: boolean): string | null {
  const forwarded = trustProxy ? req.headers['x-forwarded-host'] : undefined;
  const raw = typeof forwarded === 'string' && forwarded ? forwarded : req.headers.host;
  if (!raw || req.httpVersionMajor >= 2) return null;
  const host = firstValue(raw);
  return host.includes('@') ? null : host;
}

function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded) {
    const last = forwarded.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? '';
}
