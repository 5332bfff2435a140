import * as z from 'zod/mini';
import { type Endpoint, ServiceUnavailable } from './endpoint.js';
import { errorBody } from './errors.js';

// The proof-of-work challenge of the signup form (ALTCHA, self-hosted): a group of its own, so
// that the web app loads it with the widget, only when the challenge is on, not up front.

/**
 * A challenge as ALTCHA's widget (v3) reads it: its proof-of-work v2 format, as altcha-lib's
 * `createChallenge` makes it. The widget derives keys for counter 0, 1, 2, ... with `algorithm`
 * from `nonce` and `salt` until one starts with `keyPrefix`; `signature` (HMAC) covers
 * `parameters`, so the server needs to keep nothing until a solution comes back.
 */
export const ChallengeResponse = z.object({
  parameters: z.object({
    algorithm: z.string(),
    nonce: z.string(),
    salt: z.string(),
    /** The key derivation's cost (PBKDF2 iterations). */
    cost: z.number(),
    keyLength: z.number(),
    keyPrefix: z.string(),
    /** HMAC of the key that solves it, so that checking a solution costs no derivation. */
    keySignature: z.string(),
    /** Seconds since the Unix epoch; a solution comes back before, or is refused. */
    expiresAt: z.number(),
  }),
  signature: z.string(),
});

/** GET /api/challenge (`contract` holds it with the rest). */
export const challengeEndpoints = {
  getChallenge: {
    method: 'GET',
    path: '/api/challenge',
    responses: {
      200: ChallengeResponse,
      // The challenge is off (SIGNUP_CHALLENGE): there is nothing here.
      404: errorBody('not_found'),
      429: errorBody('too_many_requests'),
      503: ServiceUnavailable,
    },
  },
} as const satisfies Record<string, Endpoint>;

/**
 * Where the API serves the challenge's widget (ALTCHA's external build) for pages without the web
 * app: its form pages and other sites' form snippets. A module script, at a URL that never changes
 * (revalidated, ETag), which loads the widget's parts under names holding their content's hash.
 */
export const CHALLENGE_WIDGET_PATH = '/widget/altcha.js';

export type ChallengeResponse = z.infer<typeof ChallengeResponse>;
