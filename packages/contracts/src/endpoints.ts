import * as z from 'zod/mini';
import { ErrorBody } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** One endpoint of the contract: where it lives, what it takes, what it answers by status. */
export interface Endpoint {
  readonly method: HttpMethod;
  readonly path: string;
  readonly body?: z.ZodMiniType;
  readonly query?: z.ZodMiniType;
  readonly params?: z.ZodMiniType;
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

export const Subscriber = z.object({
  email: z.string(),
  createdAt: z.string(),
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

// ---------------------------------------------------------------- the contract

/** The catlist HTTP API, version 1 (see shared/design/http-api.md). */
export const contract = {
  getSession: {
    method: 'GET',
    path: '/api/session',
    responses: { 200: SessionResponse },
  },
  signup: {
    method: 'POST',
    path: '/api/signup',
    body: SignupBody,
    responses: {
      200: SignupResponse,
      400: ErrorBody,
      403: ErrorBody,
      413: ErrorBody,
      415: ErrorBody,
      429: ErrorBody,
    },
  },
  unregister: {
    method: 'POST',
    path: '/api/unregister',
    responses: { 200: UnregisterResponse, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
  },
  confirm: {
    method: 'POST',
    path: '/api/confirm',
    body: ConfirmBody,
    responses: { 200: ConfirmResponse, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
  },
  readUnsubscribe: {
    method: 'GET',
    path: '/api/unsubscribe',
    query: UnsubscribeQuery,
    responses: { 200: UnsubscribeResponse, 400: ErrorBody, 404: ErrorBody },
  },
  unsubscribe: {
    method: 'POST',
    path: '/api/unsubscribe',
    // The body is ignored: the RFC 8058 form `List-Unsubscribe=One-Click`, JSON `{}`, or none.
    query: UnsubscribeQuery,
    responses: { 200: UnsubscribeResponse, 400: ErrorBody, 404: ErrorBody, 415: ErrorBody },
  },
  getStats: {
    method: 'GET',
    path: '/api/stats',
    responses: { 200: StatsResponse },
  },
  getHealth: {
    method: 'GET',
    path: '/api/health',
    responses: { 200: HealthResponse, 503: HealthResponse },
  },
  adminLogin: {
    method: 'POST',
    path: '/api/admin/login',
    body: AdminLoginBody,
    responses: {
      200: AdminLoginResponse,
      400: ErrorBody,
      401: ErrorBody,
      429: ErrorBody,
      503: ErrorBody,
    },
  },
  adminLogout: {
    method: 'POST',
    path: '/api/admin/logout',
    responses: { 204: null, 401: ErrorBody, 503: ErrorBody },
  },
  listSubscribers: {
    method: 'GET',
    path: '/api/admin/subscribers',
    query: SubscribersQuery,
    responses: { 200: SubscribersPage, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody },
  },
  deleteSubscriber: {
    method: 'DELETE',
    path: '/api/admin/subscribers/:email',
    params: SubscriberParams,
    responses: { 204: null, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 503: ErrorBody },
  },
  exportSubscribers: {
    method: 'GET',
    path: '/api/admin/subscribers.csv',
    responses: { 200: null, 401: ErrorBody, 503: ErrorBody },
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
