import * as z from 'zod/mini';
import type { Endpoint } from './endpoint.js';
import { errorBody } from './errors.js';

// Apart from publicEndpoints: only the language chooser (loaded when used) and a page served
// without its texts (the Vite dev server, a static host) call it.

// Here, not in site.ts with the rest the page reads: the first load has no use for its schema
// (the served texts are checked by hand).
/** One language's texts for the visitor pages (GET /api/texts), in the language's own words. */
export const TextsResponse = z.object({
  /** The language the texts are in (the pages' `<html lang>`). */
  lang: z.string(),
  /** Every text, by key (texts/en.ts); `{name}` marks a value filled in when shown. */
  // An object of strings, any keys: catchall rather than z.record, whose code would land in the
  // web app's first load (zod is bundled there whole-sale for every chunk's schemas).
  texts: z.catchall(z.object({}), z.string()),
});

export type TextsResponse = z.infer<typeof TextsResponse>;

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
