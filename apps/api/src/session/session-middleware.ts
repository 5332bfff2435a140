import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import createSession, { type CreateSessionOptions } from 'koa-session';
import type { SessionStore } from '../stores/session-store.js';

export const SESSION_COOKIE = 'sid';
/** Visitor sessions last 30 days and are renewed while in use (docs/http-api.md, Sessions). */
export const SESSION_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
const SESSION_ID_BYTES = 32; // 256 bits from the CSPRNG; the contract asks for at least 128.
// koa-session asks for an id on every request without a cookie, even one that never saves a
// session; drawing them from a pooled CSPRNG buffer keeps that cheap (docs/benchmarks.md).
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

/** The admin flag as stored in the session: login time and last request, in ms. */
export interface AdminFlag {
  since: number;
  seen: number;
}

/** What catlist keeps in a session, server side. */
export interface SessionFields {
  /** The normalised address this browser signed up with. */
  email?: string;
  /** The owner token of `email`, when this session put it on the list (stores/owner-token.ts). */
  owner?: string;
  /**
   * Confirmation by email: until when (ms) this session's request for `email` counts as pending.
   * Set for every signup, whatever happened to the address, so the answer says nothing about it.
   */
  pending?: number;
  /** Set when the signup was caught by the honeypot: nothing joined the list. */
  decoy?: true;
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

/**
 * What the store needs to know about this request's session (koa-session hands the store `ctx`
 * for exactly this): the id koa-session generated in it, the stored version it read, and whether
 * a route changed the session on purpose.
 */
interface SessionTrack {
  freshId: string | undefined;
  version: string | undefined;
  meant: boolean;
}

declare module 'koa' {
  interface ExtendableContext {
    session: VisitorSession | null;
  }
  interface DefaultState {
    sessionTrack?: SessionTrack;
  }
}

function track(ctx: { state: Koa.DefaultState }): SessionTrack {
  ctx.state.sessionTrack ??= { freshId: undefined, version: undefined, meant: false };
  return ctx.state.sessionTrack;
}

/** Marks this request's session change as meant (it wins over concurrent refreshes). */
export function sessionChanged(ctx: Koa.Context): void {
  track(ctx).meant = true;
}

/**
 * Removes fields from the session as a meant change; a session left holding nothing is dropped
 * with its row and its cookie.
 */
export function forgetSessionFields(ctx: Koa.Context, ...fields: (keyof SessionFields)[]): void {
  const session = ctx.session;
  if (!session) return;
  sessionChanged(ctx);
  for (const field of fields) delete session[field];
  if (Object.keys(session.toJSON()).length === 0) ctx.session = null;
}

/**
 * koa-session backed by the database: the cookie carries only a random id, signed with the app's
 * keys (`app.keys`); the data lives in `sessions`. Nothing is written, and no cookie is set, until
 * a session holds something. `secure` is left to `cookies`: the cookie is Secure exactly when the
 * request came over HTTPS (directly, or through a trusted proxy's X-Forwarded-Proto).
 */
export function sessionMiddleware(
  app: Koa,
  sessions: SessionStore,
  now: () => number,
): Koa.Middleware {
  const options: CreateSessionOptions = {
    key: SESSION_COOKIE,
    maxAge: SESSION_MAX_AGE_MS,
    httpOnly: true,
    signed: true,
    sameSite: 'lax',
    overwrite: true,
    renew: true,
    rolling: false,
    genid: (ctx: Koa.Context) => {
      const id = newSessionId();
      track(ctx).freshId = id;
      return id;
    },
    store: {
      // koa-session always passes `ctx`; its types call it optional.
      get: async (id: string, _maxAge: number, { ctx }: { ctx?: Koa.Context }) => {
        const stored = await sessions.get(id, now());
        if (!stored) return null;
        if (ctx) track(ctx).version = stored.version;
        return stored.data;
      },
      set: async (
        id: string,
        data: Record<string, unknown>,
        maxAge: number,
        { ctx }: { ctx?: Koa.Context },
      ) => {
        if (!ctx) throw new Error('koa-session: store.set without ctx');
        // An id made in this request is new. A change the request meant (sign up, log out, ...)
        // replaces the session; anything else (a renewal, a last-seen refresh) applies only if
        // nobody changed the session since this request read it.
        const request = track(ctx);
        const fresh = request.freshId === id;
        const condition = fresh
          ? 'insert'
          : request.meant
            ? 'update'
            : request.version !== undefined
              ? { version: request.version }
              : null;
        if (condition === null) return; // never read, so never ours to write back
        const version = await sessions.set(id, data, now() + maxAge, condition);
        if (version !== null) request.version = version;
        if (fresh) request.freshId = undefined;
      },
      destroy: (id: string) => sessions.destroy(id),
    },
  };
  return createSession(options, app);
}
