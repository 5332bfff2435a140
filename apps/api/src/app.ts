import { DEFAULT_SITE_NAME, DEFAULT_SITE_TAGLINE, type SiteResponse } from '@catlist/contracts';
import Router from '@koa/router';
import Koa from 'koa';
import compose from 'koa-compose';
import helmet from 'koa-helmet';
import { type Logger, pino } from 'pino';
import { type BackgroundWork, backgroundWork } from './background-work.js';
import { createConfirmationStore } from './confirmation/confirmation-store.js';
import { createMailOutbox } from './confirmation/mail-outbox.js';
import { createMailTransport } from './confirmation/mail-transport.js';
import { OutboxDrainer } from './confirmation/outbox-drainer.js';
import { createImportStore } from './csv/import-store.js';
import type { DatabaseHandle } from './db/open-database.js';
import { apiHeaders } from './http/api-headers.js';
import { closeUnreadBody } from './http/close-unread-body.js';
import { corsFor } from './http/cors.js';
import { errorHandler } from './http/error-handler.js';
import { inOneTransaction } from './http/in-one-transaction.js';
import { jsonBody } from './http/json-body.js';
import { originCheck } from './http/origin-check.js';
import { rateLimit } from './http/rate-limit.js';
import { requestLogger } from './http/request-logger.js';
import { webApp } from './http/web-app.js';
import {
  adminRoutes,
  LOGIN_FAILURES_ALLOWED,
  LOGIN_WINDOW_SECONDS,
} from './routes/admin-routes.js';
import { routeBinder } from './routes/bind-route.js';
import { confirmationRoutes } from './routes/confirmation-routes.js';
import { openApiRoute } from './routes/openapi-route.js';
import { publicRoutes } from './routes/public-routes.js';
import { adminSession, requireAdmin } from './session/admin-session.js';
import { sessionMiddleware } from './session/session-middleware.js';
import { SigningKeys } from './session/signing-keys.js';
import { createSessionStore } from './stores/session-store.js';
import { createSubscriberStore } from './stores/subscriber-store.js';

/** Signups allowed per client IP per minute (docs/http-api.md, Limits). */
export const SIGNUPS_PER_MINUTE = 30;
/** Confirmation links opened per client IP per minute, as for signups. */
export const CONFIRMS_PER_MINUTE = 30;

export interface AppDeps {
  database: DatabaseHandle;
  /** Cookie signing keys, newest first: the first signs, all verify. */
  sessionKeys: readonly string[];
  /** Origins allowed to make credentialed cross-origin requests. */
  corsOrigins?: readonly string[];
  /** PUBLIC_URL: the site's public origin (links in mails, the admin's embed snippet). */
  publicUrl?: string | undefined;
  /** The single admin password; admin routes answer 503 without it. */
  adminPassword?: string | undefined;
  /** Trust X-Forwarded-For / -Proto / -Host from one reverse proxy in front. */
  trustProxy?: boolean;
  logger?: Logger;
  /** The built web app (apps/web/dist) to serve next to the API; none: API only. */
  webRoot?: string | undefined;
  /** The clock, injectable so tests can move time. */
  now?: () => number;
  /** Branding (SITE_NAME, SITE_TAGLINE, PRIVACY_URL); default: the cats, no privacy link. */
  site?: SiteBranding;
  /** Confirmation by email (double opt-in): on when given (server.ts: MAIL_URL set). */
  confirmation?: ConfirmationSettings | undefined;
}

/** Where confirmation mails go and what they say (MAIL_URL, MAIL_FROM, PUBLIC_URL). */
export interface ConfirmationSettings {
  /** An SMTP URL, or `console` to print mails (confirmation/mail-transport.ts). */
  mailUrl: string;
  /** The sender, e.g. `Cats Everywhere <news@example.com>`. */
  from: string;
  /** The origin that links in mails point to (no trailing slash). */
  publicUrl: string;
  /** The wait before a failed mail's first retry (MAIL_RETRY_MS). */
  retryBaseMs?: number;
  /** How often the outbox is read when nobody said a mail was queued; tests poll faster. */
  pollMs?: number;
}

/** What an operator sets about the site; GET /api/site adds whether admin is on. */
export type SiteBranding = Omit<SiteResponse, 'adminEnabled'>;

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/');

/**
 * The app, the router inside it (whose routes the OpenAPI document must describe; tests walk
 * it), and the work beside it (`start` once listening, `close` before closing the database).
 */
export interface CatlistApp extends BackgroundWork {
  app: Koa;
  router: Router;
}

/**
 * Builds the catlist app, and everything it shares, once: the key ring, the stores, the outbox
 * drainer and the sweeper. It never listens (server.ts does) and starts nothing until `start`.
 */
export function createApp(deps: AppDeps): CatlistApp {
  const logger = deps.logger ?? pino({ level: 'silent' });
  const now = deps.now ?? Date.now;
  const corsOrigins = deps.corsOrigins ?? [];
  if (deps.sessionKeys.length === 0) throw new Error('createApp: at least one session key needed');

  // HMAC-SHA256 signatures; the first key signs, every key verifies (so keys can be rotated).
  const keys = new SigningKeys(deps.sessionKeys);
  const subscribers = createSubscriberStore(deps.database);
  const sessions = createSessionStore(deps.database);
  const trustProxy = deps.trustProxy ?? false;
  const crossOrigin = corsOrigins.length > 0;
  /** `points` requests a minute per client IP, then `429 too_many_requests` naming `what`. */
  const perMinute = (keyPrefix: string, points: number, what: string) =>
    rateLimit({
      limiter: deps.database.rateLimiter({ keyPrefix, points, duration: 60 }),
      code: 'too_many_requests',
      message: (seconds) => `Too many ${what} from your network. Please try again in ${seconds} s.`,
    });
  const app = new Koa({
    proxy: trustProxy,
    // Only the address the proxy itself saw (the last X-Forwarded-For entry) can be trusted.
    maxIpsCount: 1,
  });
  app.keys = keys;
  const allowedOrigins = new Set(corsOrigins);

  const site: SiteResponse = {
    name: deps.site?.name ?? DEFAULT_SITE_NAME,
    tagline: deps.site?.tagline ?? DEFAULT_SITE_TAGLINE,
    privacyUrl: deps.site?.privacyUrl ?? null,
    adminEnabled: deps.adminPassword !== undefined,
  };

  const confirmation = deps.confirmation;
  const confirmations = confirmation ? createConfirmationStore(deps.database) : undefined;
  const drainer = confirmation
    ? new OutboxDrainer({
        outbox: createMailOutbox(deps.database),
        transport: createMailTransport(confirmation.mailUrl),
        keys,
        settings: {
          from: confirmation.from,
          publicUrl: confirmation.publicUrl,
          siteName: site.name,
        },
        logger,
        now,
        retryBaseMs: confirmation.retryBaseMs,
        pollMs: confirmation.pollMs,
      })
    : undefined;
  const router = new Router();
  // Each route gets, from its contract entry, only the middleware it needs (routes/bind-route.ts):
  // only the routes that say so read the session, so health, stats, the site, the OpenAPI
  // document and the unsubscribe links do no cookie check and no session lookup (and health keeps
  // answering {"status":"unavailable"} during an outage even with a cookie); only POST routes
  // parse a JSON body; the import upload streams its own.
  const bind = routeBinder(router, {
    originCheck: originCheck(corsOrigins),
    jsonBody: jsonBody(),
    session: compose([sessionMiddleware(app, sessions, now), adminSession(now)]),
    requireAdmin: requireAdmin(),
  });
  const oneTransaction = inOneTransaction(deps.database.db);
  publicRoutes(bind, {
    site,
    subscribers,
    confirmation:
      confirmations && drainer ? { store: confirmations, onQueued: drainer.nudge } : undefined,
    database: deps.database,
    logger,
    now,
    signupLimit: perMinute('signup', SIGNUPS_PER_MINUTE, 'signups'),
    oneTransaction,
  });

  openApiRoute(bind);
  const confirmLimit = perMinute('confirm', CONFIRMS_PER_MINUTE, 'confirmations');
  confirmationRoutes(bind, { confirmations, keys, confirmLimit, oneTransaction, now });

  const imports = createImportStore(deps.database);
  adminRoutes(bind, {
    adminPassword: deps.adminPassword,
    subscribers,
    imports,
    confirmations,
    now,
    loginFailures: deps.database.rateLimiter({
      keyPrefix: 'admin-login',
      points: LOGIN_FAILURES_ALLOWED,
      duration: LOGIN_WINDOW_SECONDS,
      blockDuration: LOGIN_WINDOW_SECONDS,
    }),
    embed: {
      publicUrl: deps.publicUrl ?? confirmation?.publicUrl,
      // The origins that may embed the signup page: for now the CORS list.
      embedOrigins: corsOrigins,
      challenge: false,
    },
  });

  const api = compose([
    apiHeaders({ crossOrigin }),
    // CORS only when another origin may call: a same-origin deployment has no use for it.
    ...(crossOrigin ? [corsFor(allowedOrigins)] : []),
    async function unknownMethod(ctx: Koa.Context, next: Koa.Next) {
      await next();
      // @koa/router answers 501 for methods it has never heard of (PROPFIND, ...); the contract
      // says a known path with a wrong method is 405 with `Allow`, and anything else is 404.
      if (ctx.status === 501 && ctx.body == null) {
        const allowed = new Set(router.match(ctx.path, ctx.method).path.flatMap((l) => l.methods));
        if (allowed.size > 0) ctx.set('Allow', [...allowed].join(', '));
        ctx.status = allowed.size > 0 ? 405 : 404;
      }
    },
    router.routes() as Koa.Middleware,
    router.allowedMethods() as Koa.Middleware,
    // Reached only by requests no route took: a cross-site state change is refused as such
    // before it learns whether the path or the method exists.
    originCheck(corsOrigins),
  ]);

  const pageHeaders = helmet({
    // The SPA's own scripts and styles, nothing inline, nothing from elsewhere.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
      },
    },
    frameguard: { action: 'deny' },
  });

  if (logger.isLevelEnabled('info')) app.use(requestLogger(logger));
  app.use(closeUnreadBody());
  app.use(errorHandler(logger));
  // Errors after the response has started (a client that left mid-download) reach Koa's 'error'
  // event, not the error middleware; they belong in the log, not on stderr.
  app.on('error', (error: NodeJS.ErrnoException) => {
    const clientGone = error.code === 'ERR_STREAM_PREMATURE_CLOSE' || error.code === 'ECONNRESET';
    if (clientGone) logger.debug({ err: error.message }, 'client went away mid-response');
    else logger.error({ err: error }, 'response error');
  });

  const pages = deps.webRoot ? compose([pageHeaders, webApp(deps.webRoot, site)]) : pageHeaders;
  app.use(async function apiOrPage(ctx, next) {
    if (isApiPath(ctx.path)) await api(ctx, next);
    else await pages(ctx, next);
  });

  return {
    app,
    router,
    ...backgroundWork({ sessions, confirmations, imports, drainer, logger, now }),
  };
}
