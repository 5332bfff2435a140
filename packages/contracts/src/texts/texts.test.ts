import { describe, expect, it } from 'vitest';
import { texts as english } from './en.js';
import {
  catalogFor,
  fill,
  LANGUAGE_FILES,
  LANGUAGE_NAMES,
  negotiateLanguage,
  SHIPPED_LANGUAGES,
  translator,
} from './index.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the language files', () => {
  it('ship en, de, fr and es, each registered with its name', () => {
    expect(SHIPPED_LANGUAGES).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'es']));
    expect(Object.keys(LANGUAGE_FILES).sort()).toEqual(Object.keys(LANGUAGE_NAMES).sort());
  });

  it.each(SHIPPED_LANGUAGES)('%s has every key, none empty, with the same placeholders', (lang) => {
    const file = LANGUAGE_FILES[lang];
    expect(Object.keys(file?.texts ?? {}).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(file?.texts ?? {})) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(text), key).toEqual(placeholders(english[key as keyof typeof english]));
    }
  });

  it.each(SHIPPED_LANGUAGES)('%s speaks of cats only in its demo texts', (lang) => {
    const neutral = Object.values(catalogFor(lang, false)).join(' ');
    expect(neutral).not.toMatch(/\b(cats?|Katzen?|chats?|gatos?)\b/i);
    expect(catalogFor(lang, true).formLede).toMatch(/cats|Katzen|chats|gatos/);
  });

  it('falls back to English for a code it does not ship', () => {
    expect(catalogFor('xx', false).submit).toBe('Sign up');
    expect(catalogFor('de', false).submit).toBe('Anmelden');
  });
});

describe('fill and translator', () => {
  it('puts values in for their names and leaves unknown names as written', () => {
    expect(fill('Back to {name}', { name: 'Bake & Co' })).toBe('Back to Bake & Co');
    expect(fill('{count} people, {other}', { count: 3 })).toBe('3 people, {other}');
    expect(translator(catalogFor('fr', false))('backTo', { name: 'X' })).toBe('Retour à X');
  });
});

describe('negotiateLanguage', () => {
  const all = ['en', 'de', 'fr', 'es'];

  it('takes the highest weight, in header order among equals', () => {
    expect(negotiateLanguage('de;q=0.5, fr;q=0.9, en;q=0.1', all, 'en')).toBe('fr');
    expect(negotiateLanguage('es, de', all, 'en')).toBe('es');
    expect(negotiateLanguage('de;q=0.8, es;q=0.8', all, 'en')).toBe('de');
  });

  it('takes the language of a regional tag', () => {
    expect(negotiateLanguage('fr-CA,fr;q=0.9', all, 'en')).toBe('fr');
    expect(negotiateLanguage('DE-at', all, 'en')).toBe('de');
  });

  it('skips disabled languages and ranges of weight 0', () => {
    expect(negotiateLanguage('fr, de;q=0.5', ['en', 'de'], 'en')).toBe('de');
    expect(negotiateLanguage('de;q=0, es;q=0.2', all, 'en')).toBe('es');
  });

  it('falls back to the default for nothing enabled, no header, * or garbage', () => {
    expect(negotiateLanguage('fr-FR', ['en', 'de'], 'de')).toBe('de');
    expect(negotiateLanguage(undefined, all, 'es')).toBe('es');
    expect(negotiateLanguage('*', all, 'fr')).toBe('fr');
    expect(negotiateLanguage(';;,q=x', all, 'en')).toBe('en');
  });

  it('lets an enabled choice (the chooser) win over the header, and ignores any other', () => {
    expect(negotiateLanguage('de', all, 'en', 'es')).toBe('es');
    expect(negotiateLanguage('de', ['en', 'de'], 'en', 'es')).toBe('de');
  });
});
