import * as z from 'zod/mini';
import { errorBody } from './errors.js';
import { SiteResponse } from './site.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/**
 * One endpoint of the contract: where it lives, what it takes, what it answers by status (a JSON
 * body's schema, or `null` for no body or one that is not JSON). Error statuses list the codes
 * they carry; any endpoint may also answer `500 internal_error`.
 */
export interface Endpoint {
  readonly method: HttpMethod;
  readonly path: string;
  /** Needs a live admin session (else `401 unauthorized`). */
  readonly admin?: true;
  /** Media type of the success body when it is not JSON. */
  readonly produces?: string;
  readonly body?: z.ZodMiniType;
  readonly query?: z.ZodMiniType;
  readonly params?: z.ZodMiniType;
  /** A body that is not JSON, sent as it is with this media type (a CSV upload). */
  readonly upload?: string;
  readonly responses: Readonly<Record<number, z.ZodMiniType | null>>;
}

// ---------------------------------------------------------------- public

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
});

/** The address is on the list. */
const OnTheList = z.object({ email: z.string(), subscribed: z.literal(true) });

export const SignupResponse = z.union([
  // Confirmation by email off: the address is on the list.
  OnTheList,
  // On: a mail is on its way; the address joins once its link is opened.
  z.object({ email: z.string(), subscribed: z.literal(false), pending: z.literal(true) }),
]);

/** A confirmation or unsubscribe token as it comes from a link (at most 1 KiB). */
const LinkToken = z.object({ token: z.string().check(z.minLength(1), z.maxLength(1024)) });

export const ConfirmBody = LinkToken;

/** Confirmed: the address is on the list (the same shape as a signup without confirmation). */
export const ConfirmResponse = OnTheList;

export const UnsubscribeQuery = LinkToken;

/** GET: the address an unsubscribe link names; POST: the same, now off the list. */
export const UnsubscribeResponse = z.object({ email: z.string(), subscribed: z.literal(false) });

export const UnregisterResponse = z.object({ removed: z.string() });

export const StatsResponse = z.object({ subscribers: z.number() });

export const HealthResponse = z.object({ status: z.enum(['ok', 'unavailable']) });

// ---------------------------------------------------------------- admin

export const AdminLoginBody = z.object({ password: z.string() });

export const AdminLoginResponse = z.object({ admin: z.literal(true) });

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

// NUL and the other control characters have no place in an admin input, and databases disagree
// about them (PostgreSQL refuses NUL in text; SQLite cuts a LIKE pattern at it).
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
const CONTROL_CHARACTER_MESSAGE = 'must not contain control characters';

/** Text that an admin sends: no control characters (NUL included), at most `max` characters. */
export const adminText = (max: number) =>
  z.string().check(z.maxLength(max), z.regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTER_MESSAGE));

export const SubscribersQuery = z.object({
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_PAGE_SIZE))),
  cursor: z.optional(adminText(1024)),
  q: z.optional(adminText(254)),
});

/** The `:email` of DELETE /api/admin/subscribers/:email, once URL-decoded. */
export const SubscriberParams = z.object({ email: adminText(1024) });

/** How an address came onto the list: a visitor's signup, an import, or `catlist add`. */
export const SUBSCRIBER_SOURCES = ['signup', 'import', 'cli'] as const;
export const SubscriberSource = z.enum(SUBSCRIBER_SOURCES);

export const Subscriber = z.object({
  email: z.string(),
  createdAt: z.string(),
  source: SubscriberSource,
  /** With confirmation by email on: when the address was confirmed; null when it joined without. */
  confirmedAt: z.optional(z.nullable(z.string())),
});

export const SubscribersPage = z.object({
  items: z.array(Subscriber),
  nextCursor: z.nullable(z.string()),
  total: z.number(),
  /** With confirmation by email on: addresses waiting for confirmation. */
  pending: z.optional(z.number()),
});

// ---------------------------------------------------------------- the document

/** The OpenAPI 3.1 document of this contract (`openApiDocument` in `@catlist/contracts/openapi`). */
export const OpenApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.looseObject({}),
});

/** Largest CSV upload accepted by POST /api/admin/imports (about 250,000 typical rows). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Invalid lines listed in an import preview; the count covers them all. */
export const MAX_INVALID_LINES_SHOWN = 100;

/** A line of an import file that holds no acceptable address. */
export const InvalidImportLine = z.object({
  /** 1-based line number in the file. */
  line: z.number(),
  /** The cell as it was in the file (cut to 200 characters). */
  value: z.string(),
  message: z.string(),
});

/** What committing a staged import would do, as counted when it was staged. */
export const ImportPreview = z.object({
  /** Confirm with POST /api/admin/imports/:id/confirm; discard with DELETE /api/admin/imports/:id. */
  id: z.string(),
  /** Addresses not on the list yet. */
  added: z.number(),
  /** Lines whose address is on the list already, or repeats one earlier in the file. */
  alreadyThere: z.number(),
  invalid: z.number(),
  /** The first MAX_INVALID_LINES_SHOWN invalid lines, in file order. */
  invalidLines: z.array(InvalidImportLine),
});

/** What a confirmed import did. */
export const ImportResult = z.object({
  added: z.number(),
  alreadyThere: z.number(),
  invalid: z.number(),
});

export const ImportParams = z.object({ id: adminText(64) });

// ---------------------------------------------------------------- the contract

// What every state-changing route can answer before its handler runs (docs/http-api.md): another
// site's origin, and, on POST, a body that is too large or not JSON.
export const ForbiddenOrigin = errorBody('forbidden_origin');
export const PayloadTooLarge = errorBody('payload_too_large');
export const UnsupportedMediaType = errorBody('unsupported_media_type');
/** What a route that reads the database answers while the database is unreachable. */
export const ServiceUnavailable = errorBody('service_unavailable');

/** The catlist HTTP API, version 1 with ownership (docs/http-api.md). */
export const contract = {
  getSession: {
    method: 'GET',
    path: '/api/session',
    responses: { 200: SessionResponse, 503: ServiceUnavailable },
  },
  signup: {
    method: 'POST',
    path: '/api/signup',
    body: SignupBody,
    responses: {
      200: SignupResponse,
      400: errorBody('invalid_email', 'invalid_json', 'invalid_request'),
      403: ForbiddenOrigin,
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      429: errorBody('too_many_requests'),
      503: ServiceUnavailable,
    },
  },
  unregister: {
    method: 'POST',
    path: '/api/unregister',
    responses: {
      200: UnregisterResponse,
      400: errorBody('invalid_json'),
      403: ForbiddenOrigin,
      404: errorBody('not_on_list'),
      409: errorBody('no_email_in_session'),
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      503: ServiceUnavailable,
    },
  },
  // Confirmation by email (served only when it is on; otherwise 404 not_found).
  confirm: {
    method: 'POST',
    path: '/api/confirm',
    body: ConfirmBody,
    responses: {
      200: ConfirmResponse,
      400: errorBody('invalid_token', 'invalid_json', 'invalid_request'),
      403: ForbiddenOrigin,
      404: errorBody('not_found'),
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      503: ServiceUnavailable,
    },
  },
  readUnsubscribe: {
    method: 'GET',
    path: '/api/unsubscribe',
    query: UnsubscribeQuery,
    responses: {
      200: UnsubscribeResponse,
      400: errorBody('invalid_token', 'invalid_request'),
      404: errorBody('not_found'),
      503: ServiceUnavailable,
    },
  },
  unsubscribe: {
    method: 'POST',
    path: '/api/unsubscribe',
    // The body is ignored: the RFC 8058 form `List-Unsubscribe=One-Click`, JSON `{}`, or none.
    // No origin check: mail providers post it from their own servers.
    query: UnsubscribeQuery,
    responses: {
      200: UnsubscribeResponse,
      400: errorBody('invalid_token', 'invalid_json', 'invalid_request'),
      404: errorBody('not_found'),
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      503: ServiceUnavailable,
    },
  },
  getStats: {
    method: 'GET',
    path: '/api/stats',
    responses: { 200: StatsResponse, 503: ServiceUnavailable },
  },
  getSite: {
    method: 'GET',
    path: '/api/site',
    responses: { 200: SiteResponse },
  },
  getHealth: {
    method: 'GET',
    path: '/api/health',
    responses: { 200: HealthResponse, 503: HealthResponse },
  },
  getOpenApi: {
    method: 'GET',
    path: '/api/openapi.json',
    responses: { 200: OpenApiDocument },
  },
  adminLogin: {
    method: 'POST',
    path: '/api/admin/login',
    body: AdminLoginBody,
    responses: {
      200: AdminLoginResponse,
      400: errorBody('invalid_json', 'invalid_request'),
      401: errorBody('invalid_password'),
      403: ForbiddenOrigin,
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      429: errorBody('too_many_attempts'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  adminLogout: {
    method: 'POST',
    path: '/api/admin/logout',
    admin: true,
    responses: {
      204: null,
      400: errorBody('invalid_json'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  listSubscribers: {
    method: 'GET',
    path: '/api/admin/subscribers',
    admin: true,
    query: SubscribersQuery,
    responses: {
      200: SubscribersPage,
      400: errorBody('invalid_request'),
      401: errorBody('unauthorized'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  deleteSubscriber: {
    method: 'DELETE',
    path: '/api/admin/subscribers/:email',
    admin: true,
    params: SubscriberParams,
    responses: {
      204: null,
      400: errorBody('invalid_request'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      404: errorBody('not_on_list'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  exportSubscribers: {
    method: 'GET',
    path: '/api/admin/subscribers.csv',
    admin: true,
    produces: 'text/csv',
    responses: {
      200: null,
      401: errorBody('unauthorized'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** Stages a CSV of addresses (text/csv, streamed) and answers what importing it would do. */
  previewImport: {
    method: 'POST',
    path: '/api/admin/imports',
    admin: true,
    upload: 'text/csv',
    responses: {
      200: ImportPreview,
      400: errorBody('invalid_csv'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** Puts a staged import's addresses on the list, all at once. */
  confirmImport: {
    method: 'POST',
    path: '/api/admin/imports/:id/confirm',
    admin: true,
    params: ImportParams,
    responses: {
      200: ImportResult,
      400: errorBody('invalid_json', 'invalid_request'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      404: errorBody('import_not_found'),
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** Forgets a staged import without importing it. */
  discardImport: {
    method: 'DELETE',
    path: '/api/admin/imports/:id',
    admin: true,
    params: ImportParams,
    responses: {
      204: null,
      400: errorBody('invalid_request'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      404: errorBody('import_not_found'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
} as const satisfies Record<string, Endpoint>;

export type Contract = typeof contract;
export type EndpointName = keyof Contract;

export type SessionResponse = z.infer<typeof SessionResponse>;
export type SignupBody = z.infer<typeof SignupBody>;
export type SignupResponse = z.infer<typeof SignupResponse>;
export type UnregisterResponse = z.infer<typeof UnregisterResponse>;
export type ConfirmBody = z.infer<typeof ConfirmBody>;
export type ConfirmResponse = z.infer<typeof ConfirmResponse>;
export type UnsubscribeResponse = z.infer<typeof UnsubscribeResponse>;
export type StatsResponse = z.infer<typeof StatsResponse>;
export type HealthResponse = z.infer<typeof HealthResponse>;
export type AdminLoginBody = z.infer<typeof AdminLoginBody>;
export type AdminLoginResponse = z.infer<typeof AdminLoginResponse>;
export type SubscribersQuery = z.infer<typeof SubscribersQuery>;
export type Subscriber = z.infer<typeof Subscriber>;
export type SubscribersPage = z.infer<typeof SubscribersPage>;
export type SubscriberSource = z.infer<typeof SubscriberSource>;
export type InvalidImportLine = z.infer<typeof InvalidImportLine>;
export type ImportPreview = z.infer<typeof ImportPreview>;
export type ImportResult = z.infer<typeof ImportResult>;
