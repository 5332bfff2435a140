import {
  DEFAULT_SITE_NAME,
  DEFAULT_SITE_TAGLINE,
  SITE_META_NAME,
  type SiteResponse,
} from '@catlist/contracts';
import { createContext, useContext } from 'react';

/**
 * The branding built into the app: the cats, admin assumed on (the API still says no if it is
 * off), no signup challenge (a signup without one is refused while it is on, and the server's
 * answer to GET /api/site turns it on before anyone has typed). What pages see outside a SiteProvider, as in component tests of one page.
 */
export const BUILT_IN_SITE: SiteResponse = {
  name: DEFAULT_SITE_NAME,
  tagline: DEFAULT_SITE_TAGLINE,
  privacyUrl: null,
  adminEnabled: true,
  challenge: false,
  // One language: no chooser where no server said which ones it has.
  languages: ['en'],
  defaultLanguage: 'en',
};

export const SiteContext = createContext<SiteResponse>(BUILT_IN_SITE);

/** The site's name, tagline, privacy link and whether admin is on, as this server set them. */
export function useSite(): SiteResponse {
  return useContext(SiteContext);
}

/** Whether `value` has SiteResponse's shape (the contract's schema, checked without zod). */
function isSite(value: unknown): value is SiteResponse {
  if (typeof value !== 'object' || value === null) return false;
  const site = value as Record<keyof SiteResponse, unknown>;
  return (
    typeof site.name === 'string' &&
    typeof site.tagline === 'string' &&
    (site.privacyUrl === null || typeof site.privacyUrl === 'string') &&
    typeof site.adminEnabled === 'boolean' &&
    typeof site.challenge === 'boolean' &&
    Array.isArray(site.languages) &&
    site.languages.every((code) => typeof code === 'string') &&
    typeof site.defaultLanguage === 'string' &&
    optional(site.showCount, 'boolean') &&
    optional(site.accentColor, 'string', null) &&
    optional(site.logoUrl, 'string', null)
  );
}

/** An optional field: absent, or of `type` (or `alsoNull`, where the schema allows null). */
const optional = (value: unknown, type: 'string' | 'boolean', alsoNull?: null) =>
  value === undefined || value === alsoNull || typeof value === type;

/**
 * The site as the server wrote it into the served index.html (a <meta> element: data, not a
 * script), or null when the page came from elsewhere (the Vite dev server, a static host).
 * Checked by hand, not with the contract's schema: the first paint needs it, and zod is not in
 * the first load (lib/call.ts). site.test.ts holds the two to the same answers.
 */
export function readServedSite(doc: Document = document): SiteResponse | null {
  const content = doc.querySelector(`meta[name="${SITE_META_NAME}"]`)?.getAttribute('content');
  if (!content) return null;
  try {
    const site: unknown = JSON.parse(content);
    // Only the contract's keys, as the schema's parse answers (an unknown key is dropped).
    if (!isSite(site)) return null;
    const { name, tagline, privacyUrl, adminEnabled, challenge, languages, defaultLanguage } = site;
    const known = {
      name,
      tagline,
      privacyUrl,
      adminEnabled,
      challenge,
      languages,
      defaultLanguage,
    };
    // The later, optional fields only when the server sent them, as the schema's parse answers.
    const { showCount, accentColor, logoUrl } = site;
    return {
      ...known,
      ...(showCount === undefined ? {} : { showCount }),
      ...(accentColor === undefined ? {} : { accentColor }),
      ...(logoUrl === undefined ? {} : { logoUrl }),
    };
  } catch {
    return null;
  }
}
