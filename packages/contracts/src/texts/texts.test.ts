import { describe, expect, it } from 'vitest';
import { texts as english } from './en.js';
import {
  catalogFor,
  fill,
  LANGUAGE_FILES,
  LANGUAGE_NAMES,
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
