import { SITE_META_NAME, type SiteResponse } from '@catlist/contracts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/**
 * The SPA's index.html with this server's branding, so the first paint and the tab already carry
 * the site's name: the <title>, the description, and the SiteResponse as JSON in a <meta> element
 * that the SPA reads at start. Data in an attribute, never a script, so the strict CSP stays.
 */
export function brandIndexHtml(html: string, site: SiteResponse): string {
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
    .replace('</head>', () => `    ${meta}\n  </head>`);
}
