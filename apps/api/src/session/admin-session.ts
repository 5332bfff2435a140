import type Koa from 'koa';
import { ApiError } from '../http/api-error.js';
import type { AdminFlag } from './session-middleware.js';

/** The admin flag ends 8 hours after login at the latest (docs/http-api.md, Sessions). */
export const ADMIN_ABSOLUTE_MS = 8 * 60 * 60 * 1000;
/** ... and after 30 minutes without a request. */
export const ADMIN_IDLE_MS = 30 * 60 * 1000;
// Refresh "last seen" at most this often, so a busy admin page does not write on every request.
const SEEN_RESOLUTION_MS = 15 * 1000;

declare module 'koa' {
  interface DefaultState {
    /** Whether this request comes from a live admin session (set by `adminSession`). */
    admin?: boolean;
  }
}

function isAdminFlag(value: unknown): value is AdminFlag {
  if (typeof value !== 'object' || value === null) return false;
  const { since, seen } = value as Record<string, unknown>;
  return typeof since === 'number' && typeof seen === 'number';
}

/**
 * Reads the session's admin flag, enforcing its absolute and idle expiry server side, and sets
 * `ctx.state.admin`. An expired flag is removed from the stored session.
 */
export function adminSession(now: () => number): Koa.Middleware {
  return async function adminSession(ctx, next) {
    const session = ctx.session;
    const flag = session?.admin;
    ctx.state.admin = false;
    if (session && flag !== undefined) {
      const t = now();
      if (
        !isAdminFlag(flag) ||
        t - flag.since >= ADMIN_ABSOLUTE_MS ||
        t - flag.seen >= ADMIN_IDLE_MS
      ) {
        delete session.admin;
      } else {
        ctx.state.admin = true;
        if (t - flag.seen >= SEEN_RESOLUTION_MS) session.admin = { since: flag.since, seen: t };
      }
    }
    await next();
  };
}

/**
 * `401 unauthorized` unless `adminSession` found a live admin flag: the guard the route binder
 * mounts on every contract entry marked `admin: true`.
 */
export function requireAdmin(): Koa.Middleware {
  return async function requireAdmin(ctx, next) {
    if (!ctx.state.admin) throw new ApiError(401, 'unauthorized');
    await next();
  };
}
