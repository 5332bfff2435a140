import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import createSession from 'koa-session';
import type { AdminFlag } from '../admin/admin-session.js';
import type { SessionStore } from '../db/session-store.js';

export const SESSION_COOKIE = 'sid';
/** Visitor sessions last 30 days and are renewed while in use (http-api.md, Sessions). */
export const SESSION_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
const SESSION_ID_BYTES = 32; // 256 bits from the CSPRNG; the contract asks for at least 128.
// koa-session asks for an id on every request without a cookie, even one that never saves a
// session; drawing them from a pooled CSPRNG buffer made that 9% of CPU cheaper on /api/stats.
const ID_POOL_BYTES = SESSION_ID_BYTES * 128;
let idPool = Buffer.alloc(0);
let idOffset = 0;

/** A new opaque session id: 256 bits from the CSPRNG, base64url. */
export function newSessionId(): string {
  if (idOffset + SESSION_ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_POOL_BYTES);
    idOffset = 0;
  }
  const id = idPool.toString('base64url', idOffset, idOffset + SESSION_ID_BYTES);
  idOffset += SESSION_ID_BYTES;
  return id;
}

// Per request: the ids koa-session generated in it, and the stored version of the session it read.
const generated = new WeakMap<object, Set<string>>();
const versions = new WeakMap<object, string>();
const intended = new WeakSet<object>();

/** Marks this request's session change as meant (it wins over concurrent refreshes). */
export function sessionChanged(ctx: object): void {
  intended.add(ctx);
}

/**
 * Removes one field from the session as a meant change; a session left holding nothing is
 * dropped with its row and its cookie.
 */
export function forgetSessionField(ctx: Koa.Context, field: keyof SessionFields): void {
  const session = ctx.session;
  if (!session) return;
  sessionChanged(ctx);
  delete session[field];
  if (Object.keys(session.toJSON()).length === 0) ctx.session = null;
}
function freshIds(ctx: object): Set<string> {
  let ids = generated.get(ctx);
  if (!ids) {
    ids = new Set();
    generated.set(ctx, ids);
  }
  return ids;
}

/**
 * The session cookie as koa-session sets it (through `cookies`), for the signup fast path to set
 * the very same one. `secure` is left out on purpose: the cookie is Secure exactly when the request
 * came over HTTPS (directly, or through a trusted proxy's X-Forwarded-Proto).
 */
export const SESSION_COOKIE_OPTIONS = {
  maxAge: SESSION_MAX_AGE_MS,
  httpOnly: true,
  signed: true,
  sameSite: 'lax',
  overwrite: true,
} as const;
/** How much longer than its cookie koa-session keeps a session in the store. */
export const SESSION_STORE_GRACE_MS = 10_000;

/** What catlist keeps in a session, server side. */
export interface SessionFields {
  /** The normalised address this browser signed up with. */
  email?: string;
  /** Present while the session is logged in as admin. */
  admin?: AdminFlag;
}

/** The session koa-session exposes, with our fields. */
export type VisitorSession = SessionFields & {
  readonly isNew: boolean;
  /** The stored fields (koa-session leaves out its own bookkeeping). */
  toJSON(): Record<string, unknown>;
  regenerate(): Promise<void> | undefined;
};

declare module 'koa' {
  interface ExtendableContext {
    session: VisitorSession | null;
  }
}

/**
 * koa-session backed by the database: the cookie carries only a random id, signed with the app's
 * keys; the data lives in `sessions`. Nothing is written, and no cookie is set, until a session
 * holds something.
 */
export function sessionMiddleware(
  app: Koa,
  sessions: SessionStore,
  now: () => number,
): Koa.Middleware {
  return createSession(
    {
      key: SESSION_COOKIE,
      ...SESSION_COOKIE_OPTIONS,
      renew: true,
      rolling: false,
      genid: (ctx: object) => {
        const id = newSessionId();
        freshIds(ctx).add(id);
        return id;
      },
      store: {
        get: async (id: string, _maxAge: number, { ctx }: { ctx?: object }) => {
          const stored = await sessions.get(id, now());
          if (!stored) return null;
          if (ctx) versions.set(ctx, stored.version);
          return stored.data;
        },
        set: async (
          id: string,
          data: Record<string, unknown>,
          maxAge: number,
          { ctx = {} }: { ctx?: object },
        ) => {
          // An id made in this request is new. A change the request meant (sign up, log out, ...)
          // replaces the session; anything else (a renewal, a last-seen refresh) applies only if
          // nobody changed the session since this request read it.
          const fresh = freshIds(ctx).has(id);
          const read = versions.get(ctx);
          const condition = fresh
            ? 'insert'
            : intended.has(ctx)
              ? 'update'
              : read !== undefined
                ? { version: read }
                : null;
          if (condition === null) return; // never read, so never ours to write back
          const version = await sessions.set(id, data, now() + maxAge, condition);
          if (version !== null) versions.set(ctx, version);
          if (fresh) freshIds(ctx).delete(id);
        },
        destroy: (id: string) => sessions.destroy(id),
      },
    },
    app,
  );
}
