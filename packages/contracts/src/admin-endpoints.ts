import * as z from 'zod/mini';
import {
  type Endpoint,
  ForbiddenOrigin,
  PayloadTooLarge,
  queryInteger,
  UnsupportedMediaType,
} from './endpoint.js';
import { errorBody } from './errors.js';

// The admin area's endpoints (the list, export, import): the web app loads them with its admin page.

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

/**
 * Whether an address was confirmed by mail: `confirmed` (it has a confirmation time) or
 * `unconfirmed` (it joined without: an import, `catlist add`, a signup while confirmation was
 * off). Requests still waiting for confirmation are not on the list; `pending` counts them.
 */
export const SUBSCRIBER_STATUSES = ['confirmed', 'unconfirmed'] as const;
export const SubscriberStatus = z.enum(SUBSCRIBER_STATUSES);

/** How an address came onto the list: a visitor's signup, an import, or `catlist add`. */
export const SUBSCRIBER_SOURCES = ['signup', 'import', 'cli'] as const;
export const SubscriberSource = z.enum(SUBSCRIBER_SOURCES);

export const SubscribersQuery = z.object({
  limit: z.optional(queryInteger(1, MAX_PAGE_SIZE)),
  cursor: z.optional(adminText(1024)),
  q: z.optional(adminText(254)),
  status: z.optional(SubscriberStatus),
  source: z.optional(SubscriberSource),
});

/** The `:email` of DELETE /api/admin/subscribers/:email, once URL-decoded. */
export const SubscriberParams = z.object({ email: adminText(1024) });

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

/** What the admin page needs to show the signup form for pasting into another site. */
export const EmbedSettings = z.object({
  /** The origin the form posts to: PUBLIC_URL, or the origin the admin page was asked on. */
  publicUrl: z.string(),
  /** Origins allowed to embed the signup page and to send visitors back (EMBED_ORIGINS). */
  embedOrigins: z.array(z.string()),
  /** Whether signups must solve a challenge (a form without one cannot sign up then). */
  challenge: z.boolean(),
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
  /** Why, as a sentence that quotes the value: `"jane.doe@" is not a valid email address.` */
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

/** The admin area (`contract` holds them all). */
export const adminEndpoints = {
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
      400: errorBody('invalid_json', 'invalid_request'),
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
  /** What the "Put it on your site" panel shows: where the form posts, who may embed it. */
  getEmbedSettings: {
    method: 'GET',
    path: '/api/admin/embed',
    admin: true,
    responses: {
      200: EmbedSettings,
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
      400: errorBody('invalid_csv', 'invalid_request'),
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

export type AdminLoginBody = z.infer<typeof AdminLoginBody>;
export type AdminLoginResponse = z.infer<typeof AdminLoginResponse>;
export type SubscribersQuery = z.infer<typeof SubscribersQuery>;
export type Subscriber = z.infer<typeof Subscriber>;
export type SubscribersPage = z.infer<typeof SubscribersPage>;
export type SubscriberSource = z.infer<typeof SubscriberSource>;
export type SubscriberStatus = z.infer<typeof SubscriberStatus>;
export type EmbedSettings = z.infer<typeof EmbedSettings>;
export type InvalidImportLine = z.infer<typeof InvalidImportLine>;
export type ImportPreview = z.infer<typeof ImportPreview>;
export type ImportResult = z.infer<typeof ImportResult>;
