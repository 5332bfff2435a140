import * as z from 'zod/mini';
import {
  type Endpoint,
  ForbiddenOrigin,
  PayloadTooLarge,
  ServiceUnavailable,
  UnsupportedMediaType,
} from './endpoint.js';
import { errorBody } from './errors.js';
import { ConfirmResponse } from './public-endpoints.js';

// The endpoints behind the links in mails (confirmation by email, unsubscribe): the web app
// loads them with the pages those links open, not with the signup page.

/** A confirmation or unsubscribe token as it comes from a link (at most 1 KiB). */
const LinkToken = z.object({ token: z.string().check(z.minLength(1), z.maxLength(1024)) });

export const ConfirmBody = LinkToken;

export const UnsubscribeQuery = z.object({
  ...LinkToken.shape,
  /**
   * The announcement whose mail held the link (docs/http-api.md, Announcements): leaving through
   * it is counted for that announcement. Not signed; anything but an announcement's id that
   * reached this address counts for none.
   */
  announcement: z.optional(z.string().check(z.maxLength(64))),
});

/** GET: the address an unsubscribe link names; POST: the same, now off the list. */
export const UnsubscribeResponse = z.object({ email: z.string(), subscribed: z.literal(false) });

/** Confirmation by email and unsubscribe links (`contract` holds them all). */
export const mailLinkEndpoints = {
  // Confirmation by email (served only when it is on; otherwise 404 not_found).
  confirm: {
    method: 'POST',
    path: '/api/confirm',
    body: ConfirmBody,
    responses: {
      // Confirmed: the address is on the list (the same shape as a signup without confirmation).
      200: ConfirmResponse,
      400: errorBody('invalid_token', 'invalid_json', 'invalid_request'),
      403: ForbiddenOrigin,
      404: errorBody('not_found'),
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      // Rate limited per client, like signup.
      429: errorBody('too_many_requests'),
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
    // The body is never read, whatever it is (RFC 8058's multipart/form-data or urlencoded
    // `List-Unsubscribe=One-Click`, JSON `{}`, anything else, or none): so no 413, 415 or
    // invalid_json. No origin check: mail providers post it from their own servers.
    query: UnsubscribeQuery,
    responses: {
      200: UnsubscribeResponse,
      400: errorBody('invalid_token', 'invalid_request'),
      404: errorBody('not_found'),
      503: ServiceUnavailable,
    },
  },
} as const satisfies Record<string, Endpoint>;

export type ConfirmBody = z.infer<typeof ConfirmBody>;
export type UnsubscribeResponse = z.infer<typeof UnsubscribeResponse>;
