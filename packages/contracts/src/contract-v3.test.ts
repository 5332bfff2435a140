import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  AddSubscriberBody,
  AddSubscriberResult,
  BulkDeleteBody,
  BulkDeleteResult,
  EmbedSettings,
  Growth,
  MAX_BULK_DELETE,
  RemovalQuery,
  SuppressionsPage,
} from './admin-endpoints.js';
import { DEFAULT_SITE_NAME, isDemoSite } from './site.js';
import { DEFAULT_LANGUAGE, LANGUAGE_NAMES } from './texts/languages.js';
import { TextsQuery, TextsResponse } from './texts-endpoints.js';

// Version 3's additions to the contract: what the admin's people tools, the growth chart, the
// embed panel and the language chooser send and read.

const accepts = (schema: z.ZodMiniType, value: unknown) =>
  expect(z.safeParse(schema, value).success).toBe(true);
const refuses = (schema: z.ZodMiniType, value: unknown) =>
  expect(z.safeParse(schema, value).success).toBe(false);

describe('the admin manages people', () => {
  it('takes ?as=complaint on a delete, and nothing else there', () => {
    expect(z.parse(RemovalQuery, { as: 'complaint' })).toEqual({ as: 'complaint' });
    accepts(RemovalQuery, {});
    refuses(RemovalQuery, { as: 'spam' });
    refuses(RemovalQuery, { as: '' });
  });

  it('deletes between one and a page of addresses in one request', () => {
    const emails = (n: number) => Array.from({ length: n }, (_, i) => `a${i}@example.com`);
    expect(z.parse(BulkDeleteBody, { emails: emails(1), complaint: true })).toEqual({
      emails: emails(1),
      complaint: true,
    });
    accepts(BulkDeleteBody, { emails: emails(MAX_BULK_DELETE) });
    refuses(BulkDeleteBody, { emails: [] });
    refuses(BulkDeleteBody, { emails: emails(MAX_BULK_DELETE + 1) });
    refuses(BulkDeleteBody, {});
    refuses(BulkDeleteBody, { emails: ['a\u0000@example.com'] });
    refuses(BulkDeleteBody, { emails: emails(1), complaint: 'yes' });
    expect(z.parse(BulkDeleteResult, { removed: 2 })).toEqual({ removed: 2 });
    refuses(BulkDeleteResult, {});
  });

  it('adds one address, with the suppression and confirmation choices', () => {
    const body = { email: 'a@example.com', includeSuppressed: true, confirm: false };
    expect(z.parse(AddSubscriberBody, body)).toEqual(body);
    refuses(AddSubscriberBody, {});
    refuses(AddSubscriberBody, { email: 'a@example.com', includeSuppressed: 'true' });
    refuses(AddSubscriberBody, { email: 'a@example.com', confirm: 1 });
    for (const outcome of ['added', 'already', 'mailed']) {
      accepts(AddSubscriberResult, { email: 'a@example.com', outcome });
    }
    refuses(AddSubscriberResult, { email: 'a@example.com', outcome: 'queued' });
    refuses(AddSubscriberResult, { outcome: 'added' });
  });

  it('pages the suppression list with its reasons', () => {
    const page = {
      items: [
        { email: 'a@example.com', suppressedAt: '2026-12-07T00:00:00.000Z', reason: 'complaint' },
        {
          email: 'b@example.com',
          suppressedAt: '2026-12-07T00:00:00.000Z',
          reason: 'unsubscribed',
        },
      ],
      nextAfter: null,
      total: 2,
    };
    expect(z.parse(SuppressionsPage, page)).toEqual(page);
    refuses(SuppressionsPage, { ...page, items: [{ ...page.items[0], reason: 'bounced' }] });
    refuses(SuppressionsPage, { items: [], total: 0 });
  });

  it('reads the growth chart and the embed panel', () => {
    const growth = { days: [{ day: '2026-12-07', joined: 3, left: 1 }] };
    expect(z.parse(Growth, growth)).toEqual(growth);
    refuses(Growth, { days: [{ day: '2026-12-07', joined: 3 }] });
    const embed = {
      publicUrl: 'https://a.example',
      embedOrigins: ['https://b.example'],
      challenge: true,
    };
    expect(z.parse(EmbedSettings, embed)).toEqual(embed);
    refuses(EmbedSettings, { publicUrl: 'https://a.example', embedOrigins: [] });
  });
});

describe('languages', () => {
  it('ships English as the default, and names each language in its own words', () => {
    expect(DEFAULT_LANGUAGE).toBe('en');
    expect(LANGUAGE_NAMES).toEqual({ en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español' });
  });

  it('asks for texts by a language tag only, and reads the texts answered', () => {
    accepts(TextsQuery, { lang: 'de' });
    accepts(TextsQuery, { lang: 'fr-CA' });
    refuses(TextsQuery, { lang: 'de;q=1' });
    refuses(TextsQuery, { lang: '../en' });
    expect(z.parse(TextsResponse, { lang: 'de', texts: { submit: 'Anmelden' } })).toEqual({
      lang: 'de',
      texts: { submit: 'Anmelden' },
    });
    refuses(TextsResponse, { lang: 'de', texts: { submit: 1 } });
    refuses(TextsResponse, { texts: {} });
  });
});

describe('the demo site', () => {
  it('is the site without a name of its own', () => {
    expect(isDemoSite({ name: DEFAULT_SITE_NAME })).toBe(true);
    expect(isDemoSite({ name: 'Bramble Book Club' })).toBe(false);
    expect(DEFAULT_SITE_NAME).toBe('Cats Everywhere');
  });
});
