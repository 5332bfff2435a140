import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { contract } from './endpoints.js';
import {
  MAX_SITE_TEXT,
  SITE_TEXT_KEYS,
  SiteSettings,
  SiteSettingsResponse,
  SiteTexts,
} from './settings-endpoints.js';

// The site settings as the admin saves them (docs/http-api.md, "Site settings"): each field of
// its type, texts only under the keys an owner may set, nothing unreadable.

const VALID: SiteSettings = {
  name: 'Bake Club',
  tagline: '',
  privacyUrl: 'https://bake.example/privacy',
  accentColor: '#1A6b4c',
  showCount: false,
  texts: { de: { submit: 'Mitbacken', mailConfirmIntro: 'Hallo {email}!' } },
};

const refused = (schema: z.ZodMiniType, value: unknown) =>
  expect(z.safeParse(schema, value).success).toBe(false);

describe('SiteSettings', () => {
  it('takes the settings, and nothing set at all', () => {
    expect(z.parse(SiteSettings, VALID)).toEqual(VALID);
    const nothing = {
      name: null,
      tagline: null,
      privacyUrl: null,
      accentColor: null,
      showCount: true,
      texts: {},
    };
    expect(z.parse(SiteSettings, nothing)).toEqual(nothing);
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a name over 100 characters', { name: 'x'.repeat(101) }],
    ['a tagline over 300 characters', { tagline: 'x'.repeat(301) }],
    ['a tagline on two lines', { tagline: 'a\nb' }],
    [
      'a privacy link over 2000 characters',
      { privacyUrl: `https://a.example/${'x'.repeat(2000)}` },
    ],
    ['a colour by name', { accentColor: 'green' }],
    ['a short colour', { accentColor: '#abc' }],
    ['a colour with alpha', { accentColor: '#1a6b4c80' }],
    ['a count that is not yes or no', { showCount: 'on' }],
    ['a missing count', { showCount: undefined }],
    ['texts that are not by language', { texts: ['x'] }],
    ['a language code over 16 characters', { texts: { ['x'.repeat(17)]: {} } }],
  ])('refuses %s', (_, change) => {
    refused(SiteSettings, { ...VALID, ...change });
  });

  it('takes texts at most MAX_SITE_TEXT long, under the keys an owner may set only', () => {
    expect(SITE_TEXT_KEYS).toContain('mailConfirmSubject');
    expect(z.parse(SiteTexts, { formHeading: 'x'.repeat(MAX_SITE_TEXT) })).toEqual({
      formHeading: 'x'.repeat(MAX_SITE_TEXT),
    });
    refused(SiteTexts, { formHeading: 'x'.repeat(MAX_SITE_TEXT + 1) });
    refused(SiteTexts, { notFoundText: 'x' });
    refused(SiteTexts, { submit: 'a\u0000b' });
    refused(SiteTexts, { submit: 1 });
  });
});

describe('the settings endpoints', () => {
  it('are admin routes at /api/admin/settings, saving the whole settings', () => {
    expect(contract.getSettings).toMatchObject({
      method: 'GET',
      path: '/api/admin/settings',
      admin: true,
    });
    expect(contract.saveSettings).toMatchObject({
      method: 'POST',
      path: '/api/admin/settings',
      admin: true,
      body: SiteSettings,
    });
    expect(Object.keys(contract.saveSettings.responses)).toContain('400');
  });

  it('answer the settings, what applies instead, the languages and when they were saved', () => {
    const answer = {
      settings: VALID,
      fallback: { name: 'Cats', tagline: '', privacyUrl: null, accentColor: '#b3400b' },
      languages: ['de', 'en'],
      updatedAt: null,
    };
    expect(z.parse(SiteSettingsResponse, answer)).toEqual(answer);
    refused(SiteSettingsResponse, { ...answer, languages: undefined });
    refused(SiteSettingsResponse, { ...answer, updatedAt: 1 });
    refused(SiteSettingsResponse, { ...answer, fallback: { ...answer.fallback, name: null } });
  });
});
