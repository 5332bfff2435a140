// The shipped languages and the chooser's cookie: kept apart from the language files, so that the
// web app can read the list of codes without loading any catalog. (Which language a visitor gets
// is the API's: apps/api/src/http/language.ts.)

/** The language every site falls back to unless SITE_DEFAULT_LANGUAGE says otherwise. */
export const DEFAULT_LANGUAGE = 'en';

/**
 * The shipped languages, by code (BCP 47 primary subtag), each with its own name for the chooser.
 * Adding a language: its file in this folder, and a line here and in texts/index.ts.
 */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
};

export const SHIPPED_LANGUAGES = Object.keys(LANGUAGE_NAMES);

/** The name of the cookie in which the language chooser keeps the visitor's choice. */
export const LANGUAGE_COOKIE = 'lang';
