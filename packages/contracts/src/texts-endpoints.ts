import * as z from 'zod/mini';
import type { Endpoint } from './endpoint.js';
import { errorBody } from './errors.js';
import { TextsResponse } from './site.js';

// Apart from publicEndpoints: only the language chooser (loaded when used) and a page served
// without its texts (the Vite dev server, a static host) call it.

export const TextsQuery = z.object({
  /** A language code; unset or not enabled: the one Accept-Language and the site pick. */
  lang: z.optional(z.string().check(z.regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/))),
});

export const textsEndpoints = {
  getTexts: {
    method: 'GET',
    path: '/api/texts',
    query: TextsQuery,
    responses: { 200: TextsResponse, 400: errorBody('invalid_request') },
  },
} as const satisfies Record<string, Endpoint>;
