import * as z from 'zod/mini';
import { adminText } from './admin-endpoints.js';
import {
  type Endpoint,
  ForbiddenOrigin,
  PayloadTooLarge,
  UnsupportedMediaType,
} from './endpoint.js';
import { errorBody } from './errors.js';

// Site settings (docs/http-api.md, "Site settings"): what an owner sets in the admin without
// code, restart or rebuild. Stored in the database, so every instance serves the same; the
// environment (SITE_NAME, SITE_TAGLINE, PRIVACY_URL, ...) gives the first values.

/**
 * The texts an owner can set, per language. Each replaces the shipped text of the same key
 * (texts/en.ts) in that language; `mailConfirmSubject` and `mailConfirmIntro` replace the
 * confirmation mail's subject and first paragraph. `{email}` and `{name}` are filled in where the
 * shipped text has them.
 */
export const SITE_TEXT_KEYS = [
  'formHeading',
  'formLede',
  'submit',
  'thanksHeading',
  'thanksText',
  'pendingHeading',
  'pendingText',
  'mailConfirmSubject',
  'mailConfirmIntro',
] as const;
export type SiteTextKey = (typeof SITE_TEXT_KEYS)[number];

/** Longest text an owner can set, in characters. */
export const MAX_SITE_TEXT = 500;

/** One language's texts: only the keys set; a key left out (or empty) keeps the shipped text. */
export const SiteTexts = z.partialRecord(z.enum(SITE_TEXT_KEYS), adminText(MAX_SITE_TEXT));
export type SiteTexts = z.infer<typeof SiteTexts>;

/** `#rrggbb`, lower or upper case. */
export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/**
 * Everything an owner sets. `null` (or absent in an update) means "not set here": the
 * environment's value, else the default, applies.
 */
export const SiteSettings = z.object({
  name: z.nullable(adminText(100).check(z.minLength(1))),
  tagline: z.nullable(adminText(300)),
  /** An `https:` (or `http:`) URL, linked under the form; null: none. */
  privacyUrl: z.nullable(adminText(2000)),
  /**
   * The accent (buttons, links, focus rings), `#rrggbb`. Refused when white text on it, or it on
   * the page's background, falls below WCAG AA (4.5:1).
   */
  accentColor: z.nullable(z.string().check(z.regex(HEX_COLOUR, 'must be a colour like #1a6b4c'))),
  /** Whether the signup page shows how many have signed up. */
  showCount: z.boolean(),
  /** Texts by language code (`de`, ...); languages the site does not enable are refused. */
  texts: z.record(adminText(16), SiteTexts),
});
export type SiteSettings = z.infer<typeof SiteSettings>;

/** GET /api/admin/settings: the stored settings, and what applies where they are unset. */
export const SiteSettingsResponse = z.object({
  settings: SiteSettings,
  /** The values in force when a setting is null: the environment's, else the defaults. */
  fallback: z.object({
    name: z.string(),
    tagline: z.string(),
    privacyUrl: z.nullable(z.string()),
    accentColor: z.string(),
  }),
  /** Languages the site enables (SITE_LANGUAGES), the default first. */
  languages: z.array(z.string()),
  /** When the settings were last saved (null: never), for the admin's "saved" line. */
  updatedAt: z.nullable(z.string()),
});

/** The settings endpoints (`contract` holds them with the rest). */
export const settingsEndpoints = {
  getSettings: {
    method: 'GET',
    path: '/api/admin/settings',
    admin: true,
    responses: {
      200: SiteSettingsResponse,
      401: errorBody('unauthorized'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /**
   * Saves every setting at once (what the form shows); all or nothing: an invalid value
   * (`invalid_request`, with an issue per field, or `low_contrast` for the accent) saves nothing.
   */
  saveSettings: {
    method: 'POST',
    path: '/api/admin/settings',
    admin: true,
    body: SiteSettings,
    responses: {
      200: SiteSettingsResponse,
      400: errorBody('invalid_json', 'invalid_request', 'low_contrast'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
} as const satisfies Record<string, Endpoint>;
