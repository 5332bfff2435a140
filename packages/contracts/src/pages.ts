/**
 * Every page of the web app by path, shared by the SPA (which draws them) and the API (which
 * serves them): any other path is the not-found page, answered with status 404. `indexed: false`
 * asks search engines to leave the page out (X-Robots-Tag).
 */
export const PAGES = {
  '/': { indexed: true },
  '/admin': { indexed: false },
  // Opened from the links in mails; each link carries a personal token.
  '/confirm': { indexed: false },
  '/unsubscribe': { indexed: false },
} as const satisfies Readonly<Record<string, { readonly indexed: boolean }>>;

export type PagePath = keyof typeof PAGES;

/** A path without trailing slashes (except `/` itself), as the SPA matches it. */
export function normalizePath(pathname: string): string {
  const trimmed = pathname.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** The page at `pathname` (trailing slashes ignored), or null when the app has none there. */
export function pageAt(pathname: string): PagePath | null {
  const path = normalizePath(pathname);
  return Object.hasOwn(PAGES, path) ? (path as PagePath) : null;
}
