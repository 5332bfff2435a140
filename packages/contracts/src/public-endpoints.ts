import * as z from 'zod/mini';
import {
  type Endpoint,
  ForbiddenOrigin,
  PayloadTooLarge,
  ServiceUnavailable,
  UnsupportedMediaType,
} from './endpoint.js';
import { errorBody } from './errors.js';
import { publicRoutes } from './public-routes.js';

// The endpoints the signup page calls. In the web app they load with its API client (a lazy chunk
// with zod), not in the first load.

/** What a page needs to know about the site it belongs to (GET /api/site). */
export const SiteResponse = z.object({
  /** SITE_NAME: the page title, the heading, the admin header. */
  name: z.string(),
  /** SITE_TAGLINE, under the heading; empty: none. */
  tagline: z.string(),
  /** PRIVACY_URL, linked under the signup form; null: no link. */
  privacyUrl: z.nullable(z.string()),
  /** Whether the admin area is on (ADMIN_PASSWORD is set), so /admin can say so before a login. */
  adminEnabled: z.boolean(),
  /**
   * Whether a signup must carry a solved proof-of-work challenge (SIGNUP_CHALLENGE), so the page
   * loads the widget that solves GET /api/challenge only when it is on.
   */
  challenge: z.boolean(),
  /**
   * SITE_LANGUAGES: the languages visitors may get (codes such as `de`), so the page offers a
   * language chooser when there is more than one.
   */
  languages: z.array(z.string()),
  /** SITE_DEFAULT_LANGUAGE: the language of a visitor who asks for none of `languages`. */
  defaultLanguage: z.string(),
  /**
   * Whether the signup page shows how many have signed up (site settings, SITE_SHOW_COUNT).
   * Optional for servers that predate it: absent means shown.
   */
  showCount: z.optional(z.boolean()),
  /**
   * The accent colour (`#rrggbb`, site settings or SITE_ACCENT_COLOR), null: the web app's own.
   * Pages get it through the stylesheet /site.css, which the served index.html links.
   */
  accentColor: z.optional(z.nullable(z.string())),
  /**
   * The logo the owner uploaded (`/logo/<hash>.<ext>`, POST /api/admin/logo), shown instead of the
   * cat mark; null or absent (a server that predates it): none.
   */
  logoUrl: z.optional(z.nullable(z.string())),
});

export const SessionResponse = z.object({
  email: z.nullable(z.string()),
  subscribed: z.boolean(),
  admin: z.boolean(),
  /** With confirmation by email on: this session asked for `email` and it is not confirmed yet. */
  pending: z.optional(z.boolean()),
});

export const SignupBody = z.object({
  email: z.string(),
  /** Honeypot: rendered out of sight by the web app; humans leave it empty. */
  website: z.optional(z.string()),
  /**
   * The solved proof-of-work challenge (ALTCHA's payload: base64 JSON), required while the
   * challenge is on (GET /api/site `challenge`); ignored while it is off.
   */
  altcha: z.optional(z.string()),
});

/**
 * The address is on the list: a signup without confirmation by email, or a confirmed address
 * (POST /api/confirm answers this same schema; it lives here because SignupResponse holds it).
 */
export const ConfirmResponse = z.object({ email: z.string(), subscribed: z.literal(true) });

export const SignupResponse = z.union([
  // Confirmation by email off: the address is on the list.
  ConfirmResponse,
  // On: a mail is on its way; the address joins once its link is opened.
  z.object({ email: z.string(), subscribed: z.literal(false), pending: z.literal(true) }),
]);

export const UnregisterResponse = z.object({ removed: z.string() });

export const StatsResponse = z.object({ subscribers: z.number() });

/** What the signup page calls (`contract` holds them all). */
export const publicEndpoints = {
  getSession: {
    ...publicRoutes.getSession,
    responses: { 200: SessionResponse, 503: ServiceUnavailable },
  },
  signup: {
    ...publicRoutes.signup,
    body: SignupBody,
    responses: {
      200: SignupResponse,
      400: errorBody('challenge_failed', 'invalid_email', 'invalid_json', 'invalid_request'),
      403: ForbiddenOrigin,
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      429: errorBody('too_many_requests'),
      503: ServiceUnavailable,
    },
  },
  unregister: {
    ...publicRoutes.unregister,
    responses: {
      200: UnregisterResponse,
      400: errorBody('invalid_json', 'invalid_request'),
      403: ForbiddenOrigin,
      404: errorBody('not_on_list'),
      409: errorBody('no_email_in_session'),
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      503: ServiceUnavailable,
    },
  },
  getStats: {
    ...publicRoutes.getStats,
    responses: { 200: StatsResponse, 503: ServiceUnavailable },
  },
  getSite: {
    ...publicRoutes.getSite,
    responses: { 200: SiteResponse },
  },
} as const satisfies Record<string, Endpoint>;

export type SiteResponse = z.infer<typeof SiteResponse>;
export type SessionResponse = z.infer<typeof SessionResponse>;
export type SignupBody = z.infer<typeof SignupBody>;
export type SignupResponse = z.infer<typeof SignupResponse>;
export type ConfirmResponse = z.infer<typeof ConfirmResponse>;
export type UnregisterResponse = z.infer<typeof UnregisterResponse>;
export type StatsResponse = z.infer<typeof StatsResponse>;
