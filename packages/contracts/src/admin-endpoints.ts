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

/**
 * How an address came onto the list: a visitor's signup, an import, `catlist add`, or the admin
 * page's "Add one" (without a confirmation mail; with one, it is a signup once confirmed).
 */
export const SUBSCRIBER_SOURCES = ['signup', 'import', 'cli', 'admin'] as const;
export const SubscriberSource = z.enum(SUBSCRIBER_SOURCES);

/**
 * The list's order: `newest` first (the default) or `oldest` first by signup time, or by address
 * `email` (A to Z) or `email-desc` (Z to A). A cursor pages on in the order it was issued for.
 */
export const SUBSCRIBER_SORTS = ['newest', 'oldest', 'email', 'email-desc'] as const;
export const SubscriberSort = z.enum(SUBSCRIBER_SORTS);

export const SubscribersQuery = z.object({
  limit: z.optional(queryInteger(1, MAX_PAGE_SIZE)),
  cursor: z.optional(adminText(1024)),
  q: z.optional(adminText(254)),
  status: z.optional(SubscriberStatus),
  source: z.optional(SubscriberSource),
  sort: z.optional(SubscriberSort),
});

/** The `:email` of DELETE /api/admin/subscribers/:email, once URL-decoded. */
export const SubscriberParams = z.object({ email: adminText(1024) });

/** `?as=complaint`: the address goes onto the suppression list as it leaves. */
export const RemovalQuery = z.object({ as: z.optional(z.enum(['complaint'])) });

/** Largest number of addresses one bulk delete takes (a page holds at most MAX_PAGE_SIZE). */
export const MAX_BULK_DELETE = MAX_PAGE_SIZE;

/** POST /api/admin/subscribers/delete: several addresses removed in one request. */
export const BulkDeleteBody = z.object({
  emails: z.array(adminText(1024)).check(z.minLength(1), z.maxLength(MAX_BULK_DELETE)),
  /** Removed as a complaint: each goes onto the suppression list. */
  complaint: z.optional(z.boolean()),
});

export const BulkDeleteResult = z.object({
  /** How many of the addresses were on the list and are gone. */
  removed: z.number(),
});

/** What POST /api/admin/subscribers did. */
export const ADD_OUTCOMES = ['added', 'already', 'mailed'] as const;

/** POST /api/admin/subscribers: the admin adds one address, directly. */
export const AddSubscriberBody = z.object({
  email: adminText(1024),
  /** Adds it even if it is on the suppression list (and lifts it there). */
  includeSuppressed: z.optional(z.boolean()),
  /**
   * With confirmation by email on: send a confirmation mail instead, as a signup does (the mail
   * cap applies); the address joins once its owner opens the link.
   */
  confirm: z.optional(z.boolean()),
});

export const AddSubscriberResult = z.object({
  email: z.string(),
  /**
   * `added`; `already` when it was on the list already; `mailed` when a confirmation mail was
   * asked for (queued, or not when the address had its 3 mails today: the answer is the same).
   */
  outcome: z.enum(ADD_OUTCOMES),
});

/** Why an address is on the suppression list: it left by itself, or the admin said complaint. */
export const SUPPRESSION_REASONS = ['unsubscribed', 'complaint'] as const;
export const SuppressionReason = z.enum(SUPPRESSION_REASONS);

export const SuppressedAddress = z.object({
  email: z.string(),
  suppressedAt: z.string(),
  reason: SuppressionReason,
});

export const SuppressionsQuery = z.object({
  limit: z.optional(queryInteger(1, MAX_PAGE_SIZE)),
  /** The last address of the previous page. */
  after: z.optional(adminText(1024)),
});

export const SuppressionsPage = z.object({
  items: z.array(SuppressedAddress),
  /** Pass as `after` for the next page; null on the last. */
  nextAfter: z.nullable(z.string()),
  total: z.number(),
});

/** One UTC day of GET /api/admin/growth. */
export const GrowthDay = z.object({
  /** YYYY-MM-DD, UTC. */
  day: z.string(),
  /** Addresses whose signup time falls on that day (and are still on the list). */
  joined: z.number(),
  /** Removals that day: unsubscribes and the admin's or command line's removals. */
  left: z.number(),
});

/** The last 90 UTC days, oldest first, today last; days without changes have zeros. */
export const Growth = z.object({ days: z.array(GrowthDay) });

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
  /** Addresses on the suppression list: skipped unless the confirm includes them. */
  suppressed: z.number(),
  /** The first MAX_INVALID_LINES_SHOWN invalid lines, in file order. */
  invalidLines: z.array(InvalidImportLine),
});

/** What a confirmed import did. */
export const ImportResult = z.object({
  added: z.number(),
  alreadyThere: z.number(),
  invalid: z.number(),
  /** Suppressed addresses skipped; 0 when included. */
  suppressed: z.number(),
});

/** The confirm's body, optional: `includeSuppressed` imports suppressed addresses too. */
export const ConfirmImportBody = z.optional(
  z.object({ includeSuppressed: z.optional(z.boolean()) }),
);

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
  /** Adds one address directly (source `admin`); a suppressed one only when told. */
  addSubscriber: {
    method: 'POST',
    path: '/api/admin/subscribers',
    admin: true,
    body: AddSubscriberBody,
    responses: {
      200: AddSubscriberResult,
      400: errorBody('invalid_json', 'invalid_request', 'invalid_email'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      409: errorBody('suppressed'),
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** Removes several addresses at once (a complaint suppresses them). */
  deleteSubscribers: {
    method: 'POST',
    path: '/api/admin/subscribers/delete',
    admin: true,
    body: BulkDeleteBody,
    responses: {
      200: BulkDeleteResult,
      400: errorBody('invalid_json', 'invalid_request'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** The suppression list, a page at a time in address order, and its size. */
  listSuppressions: {
    method: 'GET',
    path: '/api/admin/suppressions',
    admin: true,
    query: SuppressionsQuery,
    responses: {
      200: SuppressionsPage,
      400: errorBody('invalid_request'),
      401: errorBody('unauthorized'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** Takes an address off the suppression list. */
  liftSuppression: {
    method: 'DELETE',
    path: '/api/admin/suppressions/:email',
    admin: true,
    params: SubscriberParams,
    responses: {
      204: null,
      400: errorBody('invalid_request'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      404: errorBody('not_suppressed'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** Joined and left per UTC day, the last 90 days. */
  getGrowth: {
    method: 'GET',
    path: '/api/admin/growth',
    admin: true,
    responses: {
      200: Growth,
      401: errorBody('unauthorized'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  deleteSubscriber: {
    method: 'DELETE',
    path: '/api/admin/subscribers/:email',
    admin: true,
    params: SubscriberParams,
    query: RemovalQuery,
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
    body: ConfirmImportBody,
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
export type SubscriberSort = z.infer<typeof SubscriberSort>;
export type EmbedSettings = z.infer<typeof EmbedSettings>;
export type InvalidImportLine = z.infer<typeof InvalidImportLine>;
export type ImportPreview = z.infer<typeof ImportPreview>;
export type ImportResult = z.infer<typeof ImportResult>;
export type AddSubscriberBody = z.infer<typeof AddSubscriberBody>;
export type BulkDeleteBody = z.infer<typeof BulkDeleteBody>;
export type SuppressionsPage = z.infer<typeof SuppressionsPage>;
export type Growth = z.infer<typeof Growth>;
