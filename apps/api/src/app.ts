import {
  contract,
  DEFAULT_LANGUAGE,
  DEFAULT_SITE_NAME,
  DEFAULT_SITE_TAGLINE,
  pageAt,
  SHIPPED_LANGUAGES,
  type SiteResponse,
} from '@catlist/contracts';
import Router from '@koa/router';
import Koa from 'koa';
import compose from 'koa-compose';
import helmet from 'koa-helmet';
import { type Logger, pino } from 'pino';
import { announcementRoutes } from './announcements/announcement-routes.js';
import { AnnouncementSender } from './announcements/announcement-sender.js';
import { type AnnouncePace, createAnnouncementStore } from './announcements/announcement-store.js';
import { type BackgroundWork, backgroundWork } from './background-work.js';
import {
  createSignupChallenge,
  DEFAULT_CHALLENGE_DIFFICULTY,
  DEFAULT_CHALLENGE_VALID_MS,
} from './challenge/signup-challenge.js';
import { widgetFiles } from './challenge/widget-files.js';
import { DEFAULT_ANNOUNCE_RATE } from './config/env.js';
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
import { formBody } from './http/form-body.js';
import { inOneTransaction } from './http/in-one-transaction.js';
import { jsonBody } from './http/json-body.js';
import { originCheck } from './http/origin-check.js';
import { rateLimit } from './http/rate-limit.js';
import { requestLogger } from './http/request-logger.js';
import { webApp } from './http/web-app.js';
import { currentLogoUrl, logoFiles, logoRoutes } from './logo/logo-routes.js';
import { createLogoStore } from './logo/logo-store.js';
import {
  adminRoutes,
  LOGIN_FAILURES_ALLOWED,
  LOGIN_WINDOW_SECONDS,
} from './routes/admin-routes.js';
import { routeBinder } from './routes/bind-route.js';
import { challengeRoutes } from './routes/challenge-routes.js';
import { confirmationRoutes } from './routes/confirmation-routes.js';
import { openApiRoute } from './routes/openapi-route.js';
import { publicRoutes } from './routes/public-routes.js';
import { settingsRoutes } from './routes/settings-routes.js';
import { adminSession, requireAdmin } from './session/admin-session.js';
import { sessionMiddleware } from './session/session-middleware.js';
import { SigningKeys } from './session/signing-keys.js';
import { LiveSite } from './settings/live-site.js';
import { createSettingsStore } from './settings/settings-store.js';
import { siteCss } from './settings/site-css.js';
import { createSignUp } from './signup/sign-up.js';
import { FORM_REFERRER_POLICY, framable, frameAncestors } from './signup/subscribe-pages.js';
import { subscribeRoute } from './signup/subscribe-route.js';
import { createLeavingStore } from './stores/leaving-store.js';
import { newOwnerToken } from './stores/owner-token.js';
import { createSessionStore } from './stores/session-store.js';
import { createSubscriberStore } from './stores/subscriber-store.js';

/** Signups allowed per client IP per minute (docs/http-api.md, Limits). */
export const SIGNUPS_PER_MINUTE = 30;
/** Confirmation links opened per client IP per minute, as for signups. */
export const CONFIRMS_PER_MINUTE = 30;
/** Signup challenges issued per client IP per minute: two for each signup allowed. */
export const CHALLENGES_PER_MINUTE = 60;

export interface AppDeps {
  database: DatabaseHandle;
  /** Cookie signing keys, newest first: the first signs, all verify. */
  sessionKeys: readonly string[];
  /**
   * EMBED_ORIGINS (with its alias CORS_ORIGINS): origins that may post the signup form, frame the
   * signup page, receive the form's redirects, and make credentialed cross-origin requests.
   */
  embedOrigins?: readonly string[];
  /**
   * PUBLIC_URL, when set: this site's origin as the world sees it (redirects may go there, the
   * admin's embed snippets point at it, links in mails use it).
   */
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
  /**
   * How old the copy of the site settings may get before a request reads them again
   * (settings/live-site.ts, SETTINGS_MAX_AGE_MS); tests that count statements make it long.
   */
  settingsMaxAgeMs?: number;
  /**
   * Branding (SITE_NAME, SITE_TAGLINE, PRIVACY_URL, SITE_ACCENT_COLOR, SITE_SHOW_COUNT): the first
   * values of the site settings, which the admin can change (settings/); default: the cats, no
   * privacy link, the web app's colours, the count shown.
   */
  site?: SiteBranding;
  /** Confirmation by email (double opt-in): on when given (server.ts: MAIL_URL set). */
  confirmation?: ConfirmationSettings | undefined;
  /** The signup challenge (proof of work): on when given (server.ts: SIGNUP_CHALLENGE=on). */
  signupChallenge?: SignupChallengeOptions | undefined;
}

/** How hard and how long-lived signup challenges are (SIGNUP_CHALLENGE_DIFFICULTY, _VALID_MS). */
export interface SignupChallengeOptions {
  difficulty?: number;
  validMs?: number;
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
  /** The pace of announcement mails (ANNOUNCE_RATE, ANNOUNCE_HOURLY_CAP); 10 a second by default. */
  announcePace?: AnnouncePace;
}

/**
 * What an operator sets about the site; GET /api/site adds whether admin is on, and the logo
 * (uploaded in the admin). Languages
 * (SITE_LANGUAGES, SITE_DEFAULT_LANGUAGE): every shipped one, English the default, when unset.
 */
export type SiteBranding = Omit<
  SiteResponse,
  | 'adminEnabled'
  | 'challenge'
  | 'languages'
  | 'defaultLanguage'
  | 'showCount'
  | 'accentColor'
  | 'logoUrl'
> &
  Partial<Pick<SiteResponse, 'languages' | 'defaultLanguage' | 'showCount' | 'accentColor'>>;

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
  const embedOrigins = deps.embedOrigins ?? [];
  if (deps.sessionKeys.length === 0) throw new Error('createApp: at least one session key needed');

  // HMAC-SHA256 signatures; the first key signs, every key verifies (so keys can be rotated).
  const keys = new SigningKeys(deps.sessionKeys);
  const subscribers = createSubscriberStore(deps.database);
  const sessions = createSessionStore(deps.database);
  const trustProxy = deps.trustProxy ?? false;
  const crossOrigin = embedOrigins.length > 0;
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
  const allowedOrigins = new Set(embedOrigins);

  // The site as the environment sets it; what the admin saves (settings/) goes over it, read per
  // request from a copy in memory that follows the database within a second.
  const live = new LiveSite({
    store: createSettingsStore(deps.database),
    base: {
      name: deps.site?.name ?? DEFAULT_SITE_NAME,
      tagline: deps.site?.tagline ?? DEFAULT_SITE_TAGLINE,
      privacyUrl: deps.site?.privacyUrl ?? null,
      adminEnabled: deps.adminPassword !== undefined,
      challenge: deps.signupChallenge !== undefined,
      languages: [...(deps.site?.languages ?? SHIPPED_LANGUAGES)],
      defaultLanguage: deps.site?.defaultLanguage ?? DEFAULT_LANGUAGE,
      showCount: deps.site?.showCount ?? true,
      accentColor: deps.site?.accentColor ?? null,
    },
    logger,
    maxAgeMs: deps.settingsMaxAgeMs,
  });
  // What no setting changes (the languages, admin, the challenge): fixed at start.
  const site: SiteResponse = live.current().site;
  // The logo is in the database, so that an upload shows on every instance without a restart.
  const logos = createLogoStore(deps.database);
  const logoUrl = () => currentLogoUrl(logos);
  // Its keys come from the session keys, which every instance shares (challenge/).
  const challenge = deps.signupChallenge
    ? createSignupChallenge(deps.database, {
        keys: deps.sessionKeys,
        difficulty: deps.signupChallenge.difficulty ?? DEFAULT_CHALLENGE_DIFFICULTY,
        validMs: deps.signupChallenge.validMs ?? DEFAULT_CHALLENGE_VALID_MS,
        now,
      })
    : undefined;

  const confirmation = deps.confirmation;
  const confirmations = confirmation ? createConfirmationStore(deps.database) : undefined;
  // One pooled transport for every mail: confirmations and announcements share its connections.
  const transport = confirmation ? createMailTransport(confirmation.mailUrl) : undefined;
  const mailSettings = confirmation && {
    from: confirmation.from,
    publicUrl: confirmation.publicUrl,
    siteName: site.name,
  };
  /**
   * The site's name, accent and logo (absolute, at `origin`: links in mails point to PUBLIC_URL)
   * as they are now, for mails: the owner may change them at any time (settings/, logo/).
   */
  const mailLook = async (origin: string) => {
    const snapshot = await live.fresh();
    const path = await logoUrl();
    return {
      siteName: snapshot.site.name,
      accent: snapshot.palette?.light.accent,
      logoUrl: path === null ? undefined : `${origin}${path}`,
    };
  };
  const drainer =
    confirmation && transport && mailSettings
      ? new OutboxDrainer({
          outbox: createMailOutbox(deps.database),
          transport,
          keys,
          settings: mailSettings,
          // Mails show it by the site's name, at its address as the world sees it.
          logoUrl: async () => (await mailLook(confirmation.publicUrl)).logoUrl,
          site,
          live,
          logger,
          now,
          retryBaseMs: confirmation.retryBaseMs,
          pollMs: confirmation.pollMs,
        })
      : undefined;
  const announcements = createAnnouncementStore(deps.database);
  const announcer =
    confirmation && transport && mailSettings
      ? new AnnouncementSender({
          store: announcements,
          transport,
          keys,
          settings: async () => ({ ...mailSettings, ...(await mailLook(mailSettings.publicUrl)) }),
          site,
          pace: confirmation.announcePace ?? { rate: DEFAULT_ANNOUNCE_RATE },
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
    originCheck: originCheck(embedOrigins),
    jsonBody: jsonBody(),
    formBody: formBody(),
    session: compose([sessionMiddleware(app, sessions, now), adminSession(now)]),
    requireAdmin: requireAdmin(),
  });
  const oneTransaction = inOneTransaction(deps.database.db);
  const signupConfirmation =
    confirmations && drainer ? { store: confirmations, onQueued: drainer.nudge } : undefined;
  // One signup for the JSON route and the HTML form; one limiter (a single count for both routes).
  const signUp = createSignUp({
    subscribers,
    confirmation: signupConfirmation,
    challenge,
    site,
    now,
  });
  const signupLimit = perMinute('signup', SIGNUPS_PER_MINUTE, 'signups');
  publicRoutes(bind, {
    live,
    logoUrl,
    subscribers,
    confirmation: signupConfirmation,
    database: deps.database,
    logger,
    now,
    signUp,
    signupLimit,
    oneTransaction,
  });
  subscribeRoute(bind, {
    live,
    signUp,
    signupLimit,
    oneTransaction,
    embedOrigins,
    publicUrl: deps.publicUrl ?? deps.confirmation?.publicUrl,
  });

  challengeRoutes(bind, {
    challenge,
    challengeLimit: perMinute('challenge', CHALLENGES_PER_MINUTE, 'signup checks'),
  });
  openApiRoute(bind);
  const confirmLimit = perMinute('confirm', CONFIRMS_PER_MINUTE, 'confirmations');
  confirmationRoutes(bind, { confirmations, keys, confirmLimit, oneTransaction, now });

  settingsRoutes(bind, { adminPassword: deps.adminPassword, live, now });

  const imports = createImportStore(deps.database);
  adminRoutes(bind, {
    adminPassword: deps.adminPassword,
    subscribers,
    imports,
    leaving: createLeavingStore(deps.database),
    confirmations,
    // The same request as a signup's, by a session that owns nothing (the admin's is not the
    // subscriber's): whoever opens the link becomes the owner. The mail goes in the site's
    // default language: the admin's browser says nothing of the subscriber's.
    requestConfirmation: signupConfirmation
      ? async (email: string) => {
          const queued = await signupConfirmation.store.request(
            email,
            'confirm',
            newOwnerToken(),
            now(),
            site.defaultLanguage,
          );
          if (queued) signupConfirmation.onQueued();
        }
      : undefined,
    now,
    loginFailures: deps.database.rateLimiter({
      keyPrefix: 'admin-login',
      points: LOGIN_FAILURES_ALLOWED,
      duration: LOGIN_WINDOW_SECONDS,
      blockDuration: LOGIN_WINDOW_SECONDS,
    }),
    embed: {
      publicUrl: deps.publicUrl ?? confirmation?.publicUrl,
      embedOrigins,
      challenge: challenge !== undefined,
    },
  });

  announcementRoutes(bind, {
    adminPassword: deps.adminPassword,
    store: announcements,
    site,
    look: mailLook,
    publicUrl: deps.publicUrl,
    mailing:
      transport && mailSettings && announcer
        ? { transport, keys, settings: mailSettings, nudge: announcer.nudge }
        : undefined,
    now,
  });
  logoRoutes(bind, { adminPassword: deps.adminPassword, logos, now });

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
    originCheck(embedOrigins),
  ]);

  /** Helmet for the SPA's pages, framed by `ancestors` ('none': X-Frame-Options DENY too). */
  const pageHeadersFor = (
    ancestors: readonly string[],
    referrerPolicy: 'no-referrer' | typeof FORM_REFERRER_POLICY = 'no-referrer',
  ) =>
    helmet({
      // The SPA's own scripts and styles, nothing inline, nothing from elsewhere.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          baseUri: ["'self'"],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: [...ancestors],
          imgSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'"],
        },
      },
      // X-Frame-Options knows no list of origins: a page that may be framed goes without it, and
      // frame-ancestors (which browsers prefer when both are sent) decides.
      frameguard: framable(ancestors) ? false : { action: 'deny' },
      referrerPolicy: { policy: referrerPolicy },
    });
  const pageHeaders = pageHeadersFor(frameAncestors([]));
  // The signup page alone may be framed: by this site and by EMBED_ORIGINS. Its form posts to
  // this origin, which browsers name in `Origin` (for the origin check) only when the page's
  // referrer policy lets them: under no-referrer they send `Origin: null`.
  const signupPageHeaders = pageHeadersFor(frameAncestors(embedOrigins), FORM_REFERRER_POLICY);
  const headersForPage: Koa.Middleware = (ctx, next) =>
    pageAt(ctx.path) === '/' ? signupPageHeaders(ctx, next) : pageHeaders(ctx, next);

  if (logger.isLevelEnabled('info')) app.use(requestLogger(logger));
  app.use(closeUnreadBody());
  app.use(errorHandler(logger, () => live.current().site));
  // Errors after the response has started (a client that left mid-download) reach Koa's 'error'
  // event, not the error middleware; they belong in the log, not on stderr.
  app.on('error', (error: NodeJS.ErrnoException) => {
    const clientGone = error.code === 'ERR_STREAM_PREMATURE_CLOSE' || error.code === 'ECONNRESET';
    if (clientGone) logger.debug({ err: error.message }, 'client went away mid-response');
    else logger.error({ err: error }, 'response error');
  });

  const pages = deps.webRoot
    ? compose([headersForPage, siteCss(live), webApp(deps.webRoot, live, logoUrl)])
    : compose([headersForPage, siteCss(live)]);
  // The challenge's widget, for the form pages and for other sites' snippets (challenge/).
  const widget = challenge ? widgetFiles(embedOrigins) : undefined;
  const logoFile = logoFiles(logos);
  app.use(async function apiOrPage(ctx, next) {
    // The form's route goes through the router with the API's; its answers are pages all the same.
    if (isApiPath(ctx.path) || ctx.path === contract.subscribe.path) await api(ctx, next);
    else if (widget && ctx.path.startsWith('/widget/')) await widget(ctx, () => pages(ctx, next));
    else if (ctx.path.startsWith('/logo/')) await logoFile(ctx, () => pages(ctx, next));
    else await pages(ctx, next);
  });

  return {
    app,
    router,
    ...backgroundWork({
      sessions,
      confirmations,
      imports,
      challenge,
      drainer,
      announcer,
      logger,
      now,
    }),
  };
}
