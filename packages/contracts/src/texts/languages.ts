// Which language a visitor gets: kept apart from the language files, so that the web app can
// negotiate and read the list of codes without loading any catalog.

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

/** An Accept-Language entry: a tag (lower case) and its weight. */
interface Preference {
  tag: string;
  q: number;
}

function preferences(header: string): Preference[] {
  const parsed = header.split(',').flatMap((part, index) => {
    const [range = '', ...params] = part.trim().split(';');
    const tag = range.trim().toLowerCase();
    if (tag === '') return [];
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) && q > 0 ? [{ tag, q, index }] : [];
  });
  // Highest weight first; equal weights keep the header's order.
  return parsed.sort((a, b) => b.q - a.q || a.index - b.index);
}

/**
 * The language to answer in: the first of `choice` (the chooser's cookie or `?lang`) and then
 * the Accept-Language header's ranges, by weight, that names an enabled language. A regional tag
 * takes its language (`fr-CA` is `fr`); `*` and anything else unmatched leave the fallback.
 */
export function negotiateLanguage(
  acceptLanguage: string | undefined,
  enabled: readonly string[],
  fallback: string,
  choice?: string | undefined,
): string {
  const match = (tag: string): string | undefined => {
    const primary = tag.toLowerCase().split('-')[0] ?? '';
    return enabled.find((code) => code === primary);
  };
  if (choice !== undefined) {
    const chosen = match(choice);
    if (chosen !== undefined) return chosen;
  }
  for (const { tag } of preferences(acceptLanguage ?? '')) {
    const found = match(tag);
    if (found !== undefined) return found;
  }
  return fallback;
}
