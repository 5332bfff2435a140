import {
  type AdminLoginResponse,
  contract,
  DEFAULT_PAGE_SIZE,
  type ImportPreview,
  type ImportResult,
  type InvalidImportLine,
  MAX_IMPORT_BYTES,
  MAX_INVALID_LINES_SHOWN,
  normalizeEmail,
  type SubscribersPage,
} from '@catlist/contracts';
import type Router from '@koa/router';
import type Koa from 'koa';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ConfirmationStore } from '../confirmation/confirmation-store.js';
import { ImportFileError, readAddressCsv } from '../csv/address-csv.js';
import { csvUpload } from '../csv/csv-upload.js';
import type { ImportStore } from '../csv/import-store.js';
import { subscribersCsv } from '../csv/subscribers-csv.js';
import { ApiError } from '../http/api-error.js';
import { spendPoint } from '../http/rate-limit.js';
import { validate } from '../http/validate.js';
import { passwordMatches } from '../session/admin-password.js';
import { forgetSessionFields } from '../session/session-middleware.js';
import type { SubscriberStore } from '../stores/subscriber-store.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';

/** Failed logins allowed per client IP per window before every attempt is refused. */
export const LOGIN_FAILURES_ALLOWED = 5;
export const LOGIN_WINDOW_SECONDS = 15 * 60;
/** A previewed import nobody confirmed is forgotten after this long. */
export const STAGED_IMPORT_TTL_MS = 60 * 60 * 1000;

export interface AdminRoutesDeps {
  adminPassword: string | undefined;
  subscribers: SubscriberStore;
  imports: ImportStore;
  /** Present when confirmation by email is on: the list adds confirmation times and a count. */
  confirmations?: ConfirmationStore | undefined;
  /** Counts failed logins per client IP (points: LOGIN_FAILURES_ALLOWED, LOGIN_WINDOW_SECONDS). */
  loginFailures: RateLimiterAbstract;
  now: () => number;
}

const isoOrNull = (time: number | null | undefined) =>
  time === null || time === undefined ? null : new Date(time).toISOString();

/**
 * Adds the admin routes to `router`: login, logout, the subscriber list, delete, CSV export, and
 * CSV import (preview, then confirm or discard).
 */
export function adminRoutes(
  router: Router,
  { adminPassword, subscribers, imports, confirmations, loginFailures, now }: AdminRoutesDeps,
): void {
  const enabled: Koa.Middleware = async (_ctx, next) => {
    if (adminPassword === undefined) throw new ApiError(503, 'admin_disabled');
    await next();
  };
  const requireAdmin: Koa.Middleware = async (ctx, next) => {
    if (!ctx.state.admin) throw new ApiError(401, 'unauthorized');
    await next();
  };

  router.post(contract.adminLogin.path, enabled, async (ctx) => {
    const { password } = validate(contract.adminLogin.body, ctx.request.body);
    // Count the attempt before comparing, in one atomic step: checking first and counting after
    // let parallel guesses through between the two (8 of 60 on PostgreSQL, found in review).
    // A successful login forgets the count; failed ones keep their point.
    await spendPoint(
      {
        limiter: loginFailures,
        code: 'too_many_attempts',
        message: (seconds) =>
          `Too many failed attempts. Please try again in ${Math.ceil(seconds / 60)} min.`,
      },
      ctx.ip,
    );
    if (!passwordMatches(password, adminPassword ?? '')) {
      throw new ApiError(401, 'invalid_password');
    }
    await loginFailures.delete(ctx.ip);
    const session = ctx.session;
    if (!session) throw new Error('session middleware missing');
    const t = now();
    session.admin = { since: t, seen: t };
    // A new id at privilege change: whoever knew the old id (fixation) gets nothing.
    await session.regenerate();
    const body: AdminLoginResponse = { admin: true };
    ctx.body = body;
  });

  router.post(contract.adminLogout.path, enabled, requireAdmin, async (ctx) => {
    forgetSessionFields(ctx, 'admin');
    // A new id at privilege change, as at login: a request still in flight with the old id (an
    // admin page refreshing its "last seen") finds no row to write the admin flag back to.
    if (ctx.session) await ctx.session.regenerate();
    ctx.status = 204;
  });

  router.get(contract.listSubscribers.path, enabled, requireAdmin, async (ctx) => {
    const query = validate(contract.listSubscribers.query, ctx.query);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const contains = query.q ? normalizeEmail(query.q) : undefined;
    const { rows, total } = await subscribers.search({ limit: limit + 1, after, contains });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const body: SubscribersPage = {
      items: items.map((row) => ({
        email: row.email,
        createdAt: new Date(row.createdAt).toISOString(),
        source: row.source,
        ...(confirmations ? { confirmedAt: isoOrNull(row.confirmedAt) } : {}),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
      total,
      ...(confirmations ? { pending: await confirmations.pendingCount(now()) } : {}),
    };
    ctx.body = body;
  });

  router.get(contract.exportSubscribers.path, enabled, requireAdmin, async (ctx) => {
    const csv = await subscribersCsv(subscribers, { confirmedAt: confirmations !== undefined });
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment('subscribers.csv');
    ctx.body = csv;
  });

  router.delete(contract.deleteSubscriber.path, enabled, requireAdmin, async (ctx) => {
    const { email: given } = validate(contract.deleteSubscriber.params, ctx.params);
    const email = normalizeEmail(given);
    if (!(await subscribers.remove(email))) throw new ApiError(404, 'not_on_list');
    ctx.status = 204;
  });

  router.post(contract.previewImport.path, enabled, requireAdmin, async (ctx) => {
    const upload = csvUpload(ctx, MAX_IMPORT_BYTES);
    await imports.discardStagedBefore(now() - STAGED_IMPORT_TTL_MS);
    const invalidLines: InvalidImportLine[] = [];
    let staged: Awaited<ReturnType<ImportStore['stage']>>;
    try {
      staged = await imports.stage(readAddressCsv(upload), now(), ({ line, value, message }) => {
        if (invalidLines.length < MAX_INVALID_LINES_SHOWN) {
          invalidLines.push({ line, value, message });
        }
      });
    } catch (error) {
      if (error instanceof ImportFileError) {
        throw new ApiError(400, 'invalid_csv', { message: error.message });
      }
      throw error;
    }
    const body: ImportPreview = { ...staged, invalidLines };
    ctx.body = body;
  });

  router.post(contract.confirmImport.path, enabled, requireAdmin, async (ctx) => {
    const { id } = validate(contract.confirmImport.params, ctx.params);
    const result = await imports.commit(id);
    if (!result) throw new ApiError(404, 'import_not_found');
    const body: ImportResult = result;
    ctx.body = body;
  });

  router.delete(contract.discardImport.path, enabled, requireAdmin, async (ctx) => {
    const { id } = validate(contract.discardImport.params, ctx.params);
    if (!(await imports.discard(id))) throw new ApiError(404, 'import_not_found');
    ctx.status = 204;
  });
}
