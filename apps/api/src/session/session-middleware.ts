import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import createSession, { type CreateSessionOptions } from 'koa-session';
import type { Executor } from '../db/schema.js';
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
  /** Saves now (koa-session saves again at the end of the request only what changed since). */
  manuallyCommit(): Promise<void> | undefined;
};

declare module 'koa' {
  interface ExtendableContext {
    session: VisitorSession | null;
  }
  interface DefaultState {
    /**
     * The transaction this request's writes share, when its route runs in one
     * (`inOneTransaction`): the session is saved in it too.
     */
    transaction?: Executor;
  }
}

/**
 * Removes fields from the session; a session left holding nothing is dropped with its row and
 * its cookie.
 */
export function forgetSessionFields(ctx: Koa.Context, ...fields: (keyof SessionFields)[]): void {
  const session = ctx.session;
  if (!session) return;
  for (const field of fields) delete session[field];
  if (Object.keys(session.toJSON()).length === 0) ctx.session = null;
}

/** The fields of a session as stored, less koa-session's own expiry bookkeeping. */
function fieldsOf(data: Record<string, unknown>): string {
  const { _expire, _maxAge, ...fields } = data;
  return JSON.stringify(fields);
}

/**
 * The session store koa-session talks to, one per request (its `ContextStore` hook): it remembers
 * which session id this request read, at which version, and what it wrote, so that it decides
 * from what koa-session tells it alone:
 * - an id this request neither read nor wrote is new (a first visit, or `regenerate()`): insert;
 * - anything else is written over the version this request read or last wrote (compare-and-set):
 *   a request that read a session before another one changed it cannot write the old state
 *   back, and a destroyed session never comes back;
 * - the same fields again under the same id (koa-session saves at the end of a request that
 *   saved already, after `regenerate()` or `manuallyCommit()`) write nothing.
 * koa-session itself writes nothing for a session that was only read, except when it renews one
 * past half its life.
 */
export function koaSessionStore(sessions: SessionStore, now: () => number) {
  return class RequestSessionStore {
    readonly #ctx: Koa.Context;
    /** The id and version of the row this request holds: read, or written last. */
    #held: { id: string; version: number; fields: string | undefined } | undefined;

    constructor(ctx: Koa.Context) {
      this.#ctx = ctx;
    }

    async get(id: string): Promise<Record<string, unknown> | null> {
      const stored = await sessions.get(id, now(), this.#ctx.state.transaction);
      if (!stored) return null;
      this.#held = { id, version: stored.version, fields: undefined };
      return stored.data;
    }

    async set(id: string, data: Record<string, unknown>, maxAge: unknown): Promise<void> {
      const db = this.#ctx.state.transaction;
      // koa-session passes the cookie's maxAge plus a margin, or 'session' for a browser-session
      // cookie: such a row lasts as long as any session could.
      const expiresAt = now() + (typeof maxAge === 'number' ? maxAge : SESSION_MAX_AGE_MS);
      const fields = fieldsOf(data);
      const held = this.#held;
      if (held?.id !== id) {
        const version = await sessions.insert(id, data, expiresAt, db);
        this.#held = { id, version, fields };
        return;
      }
      if (held.fields === fields) return; // written already in this request
      const version = await sessions.update(id, data, expiresAt, held.version, db);
      // Someone changed the session since this request read it: theirs stands.
      if (version !== null) this.#held = { id, version, fields };
    }

    async destroy(id: string): Promise<void> {
      // An id this request made up and never stored has no row to delete.
      if (this.#held?.id !== id) return;
      this.#held = undefined;
      await sessions.destroy(id, this.#ctx.state.transaction);
    }
  };
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
    genid: () => newSessionId(),
    ContextStore: koaSessionStore(sessions, now),
  };
  return createSession(options, app);
}
