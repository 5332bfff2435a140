import {
  fill,
  TEXTS_META_NAME,
  type TextKey,
  type TextsResponse,
  type Translate,
} from '@catlist/contracts';
import { createContext, useContext } from 'react';

/**
 * The visitor pages' texts, in one language. None of them is in the web app's code: the server
 * writes the page's language into the index.html it serves (TEXTS_META_NAME), and the language
 * chooser loads another one when asked (lib/load-texts.ts), so the first load carries no catalog.
 */
export interface Texts {
  /** The texts' language, which `<html lang>` follows. */
  lang: string;
  /** The text of `key` with its `{name}`s filled in: the one place that reads the catalog. */
  t: Translate;
  /** Switches every page to `lang` (the language chooser); resolves once its texts are shown. */
  setLanguage: (lang: string) => Promise<void>;
}

/** `t` over a served catalog; a key it lacks (an older server) shows as itself, not as nothing. */
export const translate =
  (served: TextsResponse): Translate =>
  (key, params) =>
    fill(served.texts[key] ?? key, params);

let builtIn: TextsResponse = { lang: 'en', texts: {} };

/**
 * The texts pages see outside a SiteProvider, as in component tests of one page, which set the
 * English catalog here (src/test/setup.ts); the app itself always renders inside the provider.
 */
export function setBuiltInTexts(texts: TextsResponse): void {
  builtIn = texts;
}

export const TextsContext = createContext<Texts>({
  get lang() {
    return builtIn.lang;
  },
  t: (key: TextKey, params) => translate(builtIn)(key, params),
  setLanguage: async () => {},
});

/** The current language's texts and `t`. */
export function useTexts(): Texts {
  return useContext(TextsContext);
}

/** The texts the server wrote into the served index.html, or null (dev server, static host). */
export function readServedTexts(doc: Document = document): TextsResponse | null {
  const content = doc.querySelector(`meta[name="${TEXTS_META_NAME}"]`)?.getAttribute('content');
  if (!content) return null;
  // Checked by hand, not with the contract's schema: zod's record type would cost the first load
  // more than this; `translate` already copes with a text that is missing.
  try {
    const served = JSON.parse(content) as Partial<TextsResponse> | null;
    const { lang, texts } = served ?? {};
    return typeof lang === 'string' && typeof texts === 'object' && texts !== null
      ? { lang, texts }
      : null;
  } catch {
    return null;
  }
}
