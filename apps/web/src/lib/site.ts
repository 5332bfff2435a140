import {
  DEFAULT_SITE_NAME,
  DEFAULT_SITE_TAGLINE,
  SITE_META_NAME,
  SiteResponse,
} from '@catlist/contracts';
import { createContext, useContext } from 'react';
import * as z from 'zod/mini';

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

/**
 * The site as the server wrote it into the served index.html (a <meta> element: data, not a
 * script), or null when the page came from elsewhere (the Vite dev server, a static host).
 */
export function readServedSite(doc: Document = document): SiteResponse | null {
  const content = doc.querySelector(`meta[name="${SITE_META_NAME}"]`)?.getAttribute('content');
  if (!content) return null;
  try {
    const parsed = z.safeParse(SiteResponse, JSON.parse(content));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
