import * as z from 'zod/mini';
import type { Endpoint } from './endpoint.js';

// The signup form for pages without JavaScript and other sites' pages: a plain HTML <form> that
// posts here. Not called by the web app, so it stays out of its bundle.

/** The result a `redirect` receives in its `catlist` query parameter. */
export const SUBSCRIBE_OUTCOMES = ['subscribed', 'pending', 'invalid'] as const;
export type SubscribeOutcome = (typeof SUBSCRIBE_OUTCOMES)[number];

/** The fields of the signup form (docs/http-api.md, POST /subscribe). */
export const SubscribeForm = z.object({
  /** A missing field reads as an empty address, which is `invalid_email` like any other. */
  email: z._default(z.string(), ''),
  /** Honeypot, as for POST /api/signup: kept out of sight; humans leave it empty. */
  website: z.optional(z.string()),
  /** The signup challenge's solution, as ALTCHA's widget names its field (when the challenge is on). */
  altcha: z.optional(z.string()),
  /**
   * Where to send the browser afterwards (`303`, with `catlist=<outcome>` in its query): a URL on
   * this site or on an origin listed in EMBED_ORIGINS. Absent or empty: the server's own page.
   */
  redirect: z.optional(z.string()),
});

/** The HTML form's endpoint (`contract` holds it with the others). */
export const formEndpoints = {
  subscribe: {
    method: 'POST',
    path: '/subscribe',
    form: SubscribeForm,
    produces: 'text/html',
    // Every answer is a page (or a redirect); its text says what the error code would.
    responses: {
      200: null,
      303: null,
      400: null,
      403: null,
      413: null,
      415: null,
      429: null,
    },
  },
} as const satisfies Record<string, Endpoint>;

export type SubscribeForm = z.infer<typeof SubscribeForm>;
