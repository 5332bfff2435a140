import { SITE_META_NAME, type SiteResponse } from '@catlist/contracts';
import { PAGE_TEXTS } from '../signup/page-texts.js';
import { escapeHtml, signupPageHtml } from '../signup/subscribe-pages.js';

/** The element the SPA renders into (apps/web/index.html). */
const ROOT = '<div id="root"></div>';

/**
 * The SPA's index.html with this server's branding, so the first paint and the tab already carry
 * the site's name: the <title>, the description, and the SiteResponse as JSON in a <meta> element
 * that the SPA reads at start. Data in an attribute, never a script, so the strict CSP stays.
 * With `signupForm` (the signup page), the root element also holds the signup form for browsers
 * without JavaScript, posting to POST /subscribe; inside <noscript>, so that it neither shows nor
 * costs a script where the SPA runs (which replaces the root's content anyway).
 */
export function brandIndexHtml(
  html: string,
  site: SiteResponse,
  { signupForm = false }: { signupForm?: boolean } = {},
): string {
  const description =
    site.tagline === ''
      ? `${site.name}: leave your email address.`
      : `${site.name}: ${site.tagline}`;
  const meta = `<meta name="${SITE_META_NAME}" content="${escapeHtml(JSON.stringify(site))}" />`;
  return html
    .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(site.name)}</title>`)
    .replace(
      /<meta name="description" content="[^"]*"\s*\/?>/,
      () => `<meta name="description" content="${escapeHtml(description)}" />`,
    )
    .replace('</head>', () => `    ${meta}\n  </head>`)
    .replace(ROOT, () =>
      signupForm
        ? `<div id="root"><noscript>${signupPageHtml(site, {}, PAGE_TEXTS, { scripted: false })}</noscript></div>`
        : ROOT,
    );
}
