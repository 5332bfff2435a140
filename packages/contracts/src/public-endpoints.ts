import * as z from 'zod/mini';
import {
  type Endpoint,
  ForbiddenOrigin,
  PayloadTooLarge,
  ServiceUnavailable,
  UnsupportedMediaType,
} from './endpoint.js';
import { errorBody } from './errors.js';
import { SiteResponse } from './site.js';

// The endpoints the signup page calls: the only part of the contract in the web app's first load.

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
      400: errorBody('challenge_failed', 'invalid_email', 'invalid_json', 'invalid_request'),
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
    method: 'GET',
    path: '/api/stats',
    responses: { 200: StatsResponse, 503: ServiceUnavailable },
  },
  getSite: {
    method: 'GET',
    path: '/api/site',
    responses: { 200: SiteResponse },
  },
} as const satisfies Record<string, Endpoint>;

export type SessionResponse = z.infer<typeof SessionResponse>;
export type SignupBody = z.infer<typeof SignupBody>;
export type SignupResponse = z.infer<typeof SignupResponse>;
export type ConfirmResponse = z.infer<typeof ConfirmResponse>;
export type UnregisterResponse = z.infer<typeof UnregisterResponse>;
export type StatsResponse = z.infer<typeof StatsResponse>;
