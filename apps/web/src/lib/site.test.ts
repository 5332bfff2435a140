import { SITE_META_NAME, SiteResponse } from '@catlist/contracts';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { readServedSite } from './site';

// readServedSite checks the served site by hand (zod is not in the first load): it must take and
// refuse exactly what the contract's schema does, and answer what its parse answers.

const site = {
  name: 'Bake Club',
  tagline: '',
  privacyUrl: 'https://bake.example/privacy',
  adminEnabled: true,
  challenge: false,
  languages: ['en', 'de'],
  defaultLanguage: 'de',
};

function served(content: string): Document {
  const doc = document.implementation.createHTMLDocument();
  const meta = doc.createElement('meta');
  meta.name = SITE_META_NAME;
  meta.content = content;
  doc.head.append(meta);
  return doc;
}

const samples: [string, unknown][] = [
  ['the site', site],
  ['no privacy link', { ...site, privacyUrl: null }],
  ['a key the contract does not name', { ...site, logo: '/logo.svg' }],
  ['no languages', { ...site, languages: [] }],
  ['a name that is not text', { ...site, name: 1 }],
  ['no tagline', { ...site, tagline: undefined }],
  ['a privacy link that is not text', { ...site, privacyUrl: false }],
  ['admin as text', { ...site, adminEnabled: 'true' }],
  ['no challenge flag', { ...site, challenge: undefined }],
  ['languages that are not a list', { ...site, languages: 'en' }],
  ['a language that is not text', { ...site, languages: ['en', 2] }],
  ['no default language', { ...site, defaultLanguage: null }],
  [
    'the settings: count off, an accent, a logo',
    { ...site, showCount: false, accentColor: '#1a6b4c', logoUrl: '/logo/ab12.png' },
  ],
  ['no accent, no logo', { ...site, showCount: true, accentColor: null, logoUrl: null }],
  ['a count flag as text', { ...site, showCount: 'no' }],
  ['an accent that is not text', { ...site, accentColor: 7 }],
  ['a logo that is not text', { ...site, logoUrl: false }],
  ['a count flag that is null', { ...site, showCount: null }],
  ['a list', [site]],
  ['null', null],
  ['text', 'Bake Club'],
];

describe('readServedSite', () => {
  it.each(samples)('answers as the contract parses it: %s', (_, value) => {
    const parsed = z.safeParse(SiteResponse, value);
    expect(readServedSite(served(JSON.stringify(value)))).toEqual(
      parsed.success ? parsed.data : null,
    );
  });

  it('takes the site, and nothing for a page without it or with unreadable JSON', () => {
    expect(readServedSite(served(JSON.stringify(site)))).toEqual(site);
    expect(readServedSite(document.implementation.createHTMLDocument())).toBeNull();
    expect(readServedSite(served('{"name":'))).toBeNull();
  });
});
