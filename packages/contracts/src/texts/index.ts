import type { Catalog, LanguageFile } from './catalog.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';

// Every language's texts (`@catlist/contracts/texts`): the API reads them, and serves the SPA
// the one a page needs, so that no catalog is in the web app's first load.

export * from './catalog.js';
export * from './languages.js';

/** The language files by code; LANGUAGE_NAMES (languages.ts) must name the same codes. */
export const LANGUAGE_FILES: Readonly<Record<string, LanguageFile>> = { en, de, fr, es };

/**
 * The texts a page shows in `lang`: the neutral ones, or with the Cats Everywhere demo's wording
 * where it has its own (`demo`: no SITE_NAME set).
 */
export function catalogFor(lang: string, demo: boolean): Catalog {
  const file = LANGUAGE_FILES[lang] ?? en;
  return demo ? { ...file.texts, ...file.demo } : file.texts;
}
