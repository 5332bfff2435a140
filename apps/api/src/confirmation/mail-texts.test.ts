import { SHIPPED_LANGUAGES } from '@catlist/contracts';
import { describe, expect, it } from 'vitest';
import { MAIL_LANGUAGES, type MailTexts, mailTextsFor } from './mail-texts.js';

/** Every text of `texts`, by its path, with sample values filled in. */
function flatten(texts: MailTexts): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'function') {
      // A subject takes the site's name alone; the others the address first.
      out[path] = path.endsWith('.subject')
        ? value('Site')
        : value('cat@example.com', 'Site', 'https://x');
    } else if (typeof value === 'string') out[path] = value;
    else for (const [key, inner] of Object.entries(value as object)) walk(inner, `${path}.${key}`);
  };
  walk(texts, '');
  return out;
}

describe('mail texts', () => {
  it('come in every shipped language, each with its own code as lang', () => {
    expect(Object.keys(MAIL_LANGUAGES).sort()).toEqual([...SHIPPED_LANGUAGES].sort());
    for (const [code, texts] of Object.entries(MAIL_LANGUAGES)) expect(texts.lang).toBe(code);
  });

  it('have every text in every language, none empty, and translated', () => {
    const english = flatten(MAIL_LANGUAGES.en as MailTexts);
    for (const [code, texts] of Object.entries(MAIL_LANGUAGES)) {
      const flat = flatten(texts);
      expect(Object.keys(flat).sort(), code).toEqual(Object.keys(english).sort());
      for (const [path, text] of Object.entries(flat)) {
        expect(text.trim(), `${code}${path}`).not.toBe('');
        if (code !== 'en' && path !== '.lang') {
          expect(text, `${code}${path} is still English`).not.toBe(english[path]);
        }
      }
      // The texts that name the address and the site name them.
      expect(flat['.confirm.text']).toContain('cat@example.com');
      expect(flat['.confirm.subject']).toContain('Site');
      expect(flat['.why']).toContain('https://x');
    }
  });

  it('fall back to the site’s default for a language it does not enable, or none', () => {
    const site = { languages: ['en', 'fr'], defaultLanguage: 'fr' };
    expect(mailTextsFor('en', site).lang).toBe('en');
    expect(mailTextsFor('de', site).lang).toBe('fr');
    expect(mailTextsFor(null, site).lang).toBe('fr');
    expect(mailTextsFor('xx', { languages: ['en'], defaultLanguage: 'en' }).lang).toBe('en');
  });
});
