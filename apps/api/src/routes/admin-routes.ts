import {
  checkEmail,
  contract,
  DEFAULT_PAGE_SIZE,
  EMAIL_MESSAGES,
  type InvalidImportLine,
  MAX_IMPORT_BYTES,
  MAX_INVALID_LINES_SHOWN,
  normalizeEmail,
} from '@catlist/contracts';
import type Koa from 'koa';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ConfirmationStore } from '../confirmation/confirmation-store.js';
import { ImportFileError, readAddressCsv } from '../csv/address-csv.js';
import { csvUpload } from '../csv/csv-upload.js';
import { type ImportStore, STAGED_IMPORT_TTL_MS } from '../csv/import-store.js';
import { subscribersCsv } from '../csv/subscribers-csv.js';
import { ApiError } from '../http/api-error.js';
import { spendPoint } from '../http/rate-limit.js';
import { passwordMatches } from '../session/admin-password.js';
import { forgetSessionFields } from '../session/session-middleware.js';
import type { LeavingStore } from '../stores/leaving-store.js';
import type { SubscriberStore } from '../stores/subscriber-store.js';
import type { BindRoute } from './bind-route.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';

/** Failed logins allowed per client IP per window before every attempt is refused. */
export const LOGIN_FAILURES_ALLOWED = 5;
export const LOGIN_WINDOW_SECONDS = 15 * 60;

export interface AdminRoutesDeps {
  adminPassword: string | undefined;
  subscribers: SubscriberStore;
  imports: ImportStore;
  /** The suppression list and the growth picture's counts. */
  leaving: LeavingStore;
  /**
   * With confirmation by email on: queues a confirmation mail for `email` as a signup does (the
   * mail cap applies), owned by nobody's browser until the link is opened.
   */
  requestConfirmation?: ((email: string) => Promise<void>) | undefined;
  /** Present when confirmation by email is on: the list adds confirmation times and a count. */
  confirmations?: ConfirmationStore | undefined;
  /** Counts failed logins per client IP (points: LOGIN_FAILURES_ALLOWED, LOGIN_WINDOW_SECONDS). */
  loginFailures: RateLimiterAbstract;
  now: () => number;
  /** What the admin's "Put it on your site" panel shows (GET /api/admin/embed). */
  embed: EmbedDeps;
}

export interface EmbedDeps {
  /** PUBLIC_URL (no trailing slash); unset: the origin the admin page was asked on. */
  publicUrl: string | undefined;
  /** Origins allowed to embed the signup page (EMBED_ORIGINS). */
  embedOrigins: readonly string[];
  /** Whether signups must solve a challenge. */
  challenge: boolean;
}

/**
 * A page of `rows`, which were asked for with one more than `limit`: the first `limit` of them,
 * and the last of those when there were more (the next page starts after it), else undefined.
 */
function pageOf<T>(rows: readonly T[], limit: number): { items: T[]; last: T | undefined } {
  const items = rows.slice(0, limit);
  return { items, last: rows.length > limit ? items[items.length - 1] : undefined };
}

const isoOrNull = (time: number | null | undefined) =>
  time === null || time === undefined ? null : new Date(time).toISOString();

/**
 * Adds the admin routes: login, logout, the subscriber list, delete, CSV export, and CSV import
 * (preview, then confirm or discard). Each answers `503 admin_disabled` without a password; the
 * binder adds the session and, for entries marked `admin`, the `401 unauthorized` guard.
 */
export function adminRoutes(
  bind: BindRoute,
  {
    adminPassword,
    subscribers,
    imports,
    leaving,
    confirmations,
    requestConfirmation,
    loginFailures,
    now,
    embed,
  }: AdminRoutesDeps,
): void {
  const enabled: Koa.Middleware = async function adminEnabled(_ctx, next) {
    if (adminPassword === undefined) throw new ApiError(503, 'admin_disabled');
    await next();
  };
  const use = [enabled];

  bind(contract.adminLogin, {
    session: true,
    use,
    async handler(ctx, { body: { password } }) {
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
      return { status: 200, body: { admin: true } };
    },
  });

  bind(contract.adminLogout, {
    use,
    async handler(ctx) {
      forgetSessionFields(ctx, 'admin');
      // A new id at privilege change, as at login: a request still in flight with the old id (an
      // admin page refreshing its "last seen") finds no row to write the admin flag back to.
      if (ctx.session) await ctx.session.regenerate();
      return { status: 204 };
    },
  });

  bind(contract.listSubscribers, {
    use,
    async handler(_ctx, { query }) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const contains = query.q ? normalizeEmail(query.q) : undefined;
      const { rows, total } = await subscribers.search({
        limit: limit + 1,
        after,
        contains,
        status: query.status,
        source: query.source,
        sort: query.sort,
      });
      const { items, last } = pageOf(rows, limit);
      return {
        status: 200,
        body: {
          items: items.map((row) => ({
            email: row.email,
            createdAt: new Date(row.createdAt).toISOString(),
            source: row.source,
            ...(confirmations ? { confirmedAt: isoOrNull(row.confirmedAt) } : {}),
          })),
          nextCursor: last ? encodeCursor(last) : null,
          total,
          ...(confirmations ? { pending: await confirmations.pendingCount(now()) } : {}),
        },
      };
    },
  });

  bind(contract.getEmbedSettings, {
    use,
    handler: (ctx) => ({
      status: 200,
      body: {
        // Not `ctx.origin` (Koa 3 reads that from the Origin header). Behind a proxy this is the
        // public origin only with TRUST_PROXY; PUBLIC_URL says it outright.
        publicUrl: embed.publicUrl ?? `${ctx.protocol}://${ctx.host}`,
        embedOrigins: [...embed.embedOrigins],
        challenge: embed.challenge,
      },
    }),
  });

  bind(contract.exportSubscribers, {
    use,
    async handler(ctx) {
      const csv = await subscribersCsv(subscribers, { confirmedAt: confirmations !== undefined });
      ctx.attachment('subscribers.csv');
      return { status: 200, body: csv };
    },
  });

  bind(contract.deleteSubscriber, {
    use,
    async handler(_ctx, { params, query }) {
      const kind = query.as === 'complaint' ? 'complaint' : 'removed';
      // Whatever its spelling; a legacy row also by the stored string the admin list shows.
      if (await subscribers.removeAsGiven(params.email, kind, now())) return { status: 204 };
      throw new ApiError(404, 'not_on_list');
    },
  });

  bind(contract.deleteSubscribers, {
    use,
    async handler(_ctx, { body }) {
      const kind = body.complaint ? 'complaint' : 'removed';
      let removed = 0;
      // One request; each address in its own short transaction, as the single delete does, so a
      // page of 500 never holds the database's one writer (SQLite) for long.
      for (const email of new Set(body.emails)) {
        if (await subscribers.removeAsGiven(email, kind, now())) removed++;
      }
      return { status: 200, body: { removed } };
    },
  });

  bind(contract.addSubscriber, {
    use,
    async handler(_ctx, { body }) {
      const check = checkEmail(body.email);
      if (!check.ok) {
        throw new ApiError(400, 'invalid_email', { message: EMAIL_MESSAGES[check.problem] });
      }
      const { email } = check;
      if (await subscribers.has(email)) {
        return { status: 200, body: { email, outcome: 'already' as const } };
      }
      if (body.confirm && requestConfirmation === undefined) {
        throw new ApiError(400, 'invalid_request', {
          message: 'Confirmation by email is off on this server.',
          issues: [{ path: ['confirm'], message: 'Confirmation by email is off' }],
        });
      }
      if (await leaving.isSuppressed(email)) {
        if (!body.includeSuppressed) throw new ApiError(409, 'suppressed');
        // With a mail, the owner's confirming lifts it (as a signup's does); without, now.
        if (!body.confirm) await leaving.lift(email);
      }
      if (body.confirm && requestConfirmation) {
        await requestConfirmation(email);
        return { status: 200, body: { email, outcome: 'mailed' as const } };
      }
      await subscribers.add(email, now(), undefined, 'admin');
      return { status: 200, body: { email, outcome: 'added' as const } };
    },
  });

  bind(contract.listSuppressions, {
    use,
    async handler(_ctx, { query }) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const rows = await leaving.suppressed(limit + 1, query.after);
      const { items, last } = pageOf(rows, limit);
      return {
        status: 200,
        body: {
          items: items.map((row) => ({
            email: row.email,
            suppressedAt: new Date(row.suppressedAt).toISOString(),
            reason: row.reason,
          })),
          nextAfter: last?.email ?? null,
          total: await leaving.suppressedCount(),
        },
      };
    },
  });

  bind(contract.liftSuppression, {
    use,
    async handler(_ctx, { params }) {
      const email = normalizeEmail(params.email);
      if (await leaving.lift(email)) return { status: 204 };
      throw new ApiError(404, 'not_suppressed');
    },
  });

  bind(contract.getGrowth, {
    use,
    handler: async () => ({ status: 200, body: { days: await leaving.growth(now()) } }),
  });

  // The upload is not parsed by the binder: csvUpload streams it into the staging table.
  bind(contract.previewImport, {
    use,
    async handler(ctx) {
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
      return { status: 200, body: { ...staged, invalidLines } };
    },
  });

  bind(contract.confirmImport, {
    use,
    async handler(_ctx, { params, body }) {
      // Over an hour old is expired even if no preview has swept it since (nor the sweeper).
      const result = await imports.commit(params.id, now() - STAGED_IMPORT_TTL_MS, {
        includeSuppressed: body?.includeSuppressed ?? false,
      });
      if (!result) throw new ApiError(404, 'import_not_found');
      return { status: 200, body: result };
    },
  });

  bind(contract.discardImport, {
    use,
    async handler(_ctx, { params }) {
      if (!(await imports.discard(params.id))) throw new ApiError(404, 'import_not_found');
      return { status: 204 };
    },
  });
}
