import type { demo, texts } from './en.js';

/** Every text's key: English (en.ts) is the reference. */
export type TextKey = keyof typeof texts;

/** One language's texts: every key, so a language file that misses one does not compile. */
export type Catalog = Record<TextKey, string>;

/** A language file: its texts, and the demo's (Cats Everywhere) wording where it differs. */
export interface LanguageFile {
  texts: Catalog;
  demo: Record<keyof typeof demo, string>;
}

/**
 * `text` with each `{name}` replaced by `params[name]`; a name without a value stays as written,
 * so a missing value shows rather than vanishing.
 */
export function fill(text: string, params: Readonly<Record<string, string | number>> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/**
 * The one resolver per language: `t(key, params)`. Kept a function (not the catalog itself) so
 * that texts an owner sets per language can slot in later in front of the shipped ones.
 */
export type Translate = (
  key: TextKey,
  params?: Readonly<Record<string, string | number>>,
) => string;

export const translator =
  (catalog: Catalog): Translate =>
  (key, params) =>
    fill(catalog[key], params);
