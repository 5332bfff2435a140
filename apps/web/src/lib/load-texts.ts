import { LANGUAGE_COOKIE, textsEndpoints } from '@catlist/contracts';
import { call } from './call';

// Loaded on demand (a dynamic import): only the language chooser and a page served without its
// texts need it, so neither the endpoint nor its schema is in the first load.

/** A year: the choice outlives the session, as a language setting does. */
const COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

/** One language's texts from GET /api/texts: `lang`, or what the server negotiates without it. */
export const loadTexts = (lang?: string) =>
  call(textsEndpoints.getTexts, { query: lang === undefined ? {} : { lang } });

/**
 * Remembers the visitor's choice in the cookie the server reads (http/language.ts), so the next
 * page it serves, and its error messages, come in that language too.
 */
export function rememberLanguage(lang: string): void {
  // biome-ignore lint/suspicious/noDocumentCookie: one plain, non-secret preference cookie.
  document.cookie = `${LANGUAGE_COOKIE}=${lang}; path=/; max-age=${COOKIE_MAX_AGE}; samesite=lax`;
}
