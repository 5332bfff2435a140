import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contract, type SessionResponse } from '@catlist/contracts';
import type { Logger } from 'pino';
import { ReadCache } from '../db/read-cache.js';
import type { SessionStore } from '../db/session-store.js';
import type { SubscriberStore } from '../db/subscriber-store.js';
import { SESSION_COOKIE } from '../session/session-middleware.js';
import type { SigningKeys } from '../session/signing-keys.js';
import { type FastPath, jsonAnswerer, SESSION_ID, SESSION_SIG } from './fast-path.js';

export interface SessionReadFastPathDeps {
  keys: SigningKeys;
  sessions: SessionStore;
  subscribers: SubscriberStore;
  crossOrigin: boolean;
  logger: Logger;
  now: () => number;
}

// The only fields a session that reads exactly like this may hold: koa-session's own two and the
// visitor's address (an admin session has its expiry checks and refreshes; Koa handles those).
const VISITOR_FIELDS = new Set(['email', '_expire', '_maxAge']);
const SIGNATURE_CACHE_SIZE = 20_000;

/**
 * GET /api/session for the request nearly every page load makes: same-origin, a signed cookie of a
 * live visitor session that is not due for renewal. koa-session and the middleware around it cost
 * 85% of that request (docs/benchmarks.md); here it costs one signature check and the same two
 * store reads the route makes, and the answer is the one the Koa app gives, header for header (the
 * parity test holds the two side by side). Everything else goes to Koa untouched: other paths and
 * methods, a query string or a body, any `Origin` (CORS decides), a missing, unsigned or forged
 * cookie, an unknown or expired session, an admin session, a session due for renewal, an error.
 */
export function sessionReadFastPath(deps: SessionReadFastPathDeps): FastPath {
  const { keys, sessions, subscribers, logger, now } = deps;
  const sendJson = jsonAnswerer({ crossOrigin: deps.crossOrigin, logger });

  // Signatures already checked, by session id: under load an HMAC cost as much as a whole bare
  // request (docs/benchmarks.md). A cookie whose id is here must carry the same signature, compared
  // in constant time; any other is checked with the keys (and a forged one goes to Koa).
  // Kept as strings: a small Buffer is a slice of Node's shared 8 KiB pool, and a long-lived one
  // keeps its whole pool chunk alive.
  const verified = new ReadCache<string>(SIGNATURE_CACHE_SIZE);
  function signed(id: string, signature: string): boolean {
    const known = verified.get(id);
    if (known !== undefined) {
      return (
        known.length === signature.length &&
        timingSafeEqual(Buffer.from(known), Buffer.from(signature))
      );
    }
    if (!keys.verify(`${SESSION_COOKIE}=${id}`, signature)) return false;
    verified.put(id, signature);
    return true;
  }

  async function answer(req: IncomingMessage, res: ServerResponse, id: string): Promise<boolean> {
    const started = performance.now();
    let email: string;
    let subscribed: boolean;
    try {
      const stored = await sessions.get(id, now());
      if (!stored || !isSteadyVisitor(stored.data)) return false;
      email = stored.data.email;
      subscribed = await subscribers.has(email);
    } catch {
      return false; // Koa meets the same error and answers it in the contract's shape.
    }
    const body: SessionResponse = { email, subscribed, admin: false };
    sendJson(req, res, contract.getSession.path, body, started);
    return true;
  }

  return function sessionReadFastPath(req, res) {
    if (req.method !== 'GET' || req.url !== contract.getSession.path) return false;
    const { cookie, origin } = req.headers;
    if (cookie === undefined || origin !== undefined) return false;
    if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding']) {
      return false;
    }
    const id = unquote(SESSION_ID.exec(cookie)?.[1]);
    const signature = unquote(SESSION_SIG.exec(cookie)?.[1]);
    if (!id || !signature || !signed(id, signature)) return false;
    return answer(req, res, id);
  };
}

function unquote(value: string | undefined): string | undefined {
  return value?.[0] === '"' ? value.slice(1, -1) : value;
}

/** A visitor session koa-session would take as it is: live, not due for renewal, only an address. */
function isSteadyVisitor(data: Record<string, unknown>): data is { email: string } {
  const { email, _expire: expire, _maxAge: maxAge } = data;
  if (typeof email !== 'string' || typeof expire !== 'number' || typeof maxAge !== 'number') {
    return false;
  }
  for (const field of Object.keys(data)) if (!VISITOR_FIELDS.has(field)) return false;
  // koa-session's own clock checks: expired below, renewal (a new cookie) within half its age.
  return expire - Date.now() >= maxAge / 2;
}
