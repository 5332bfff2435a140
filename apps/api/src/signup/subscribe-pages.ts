import { createHash } from 'node:crypto';
import { escapeHtml, type SiteResponse } from '@catlist/contracts';
import { WIDGET_PATH } from '../challenge/widget-files.js';
import { accentPalette } from '../settings/contrast.js';
import { type AroundAddress, PAGE_TEXTS, type PageTexts } from './page-texts.js';

// The pages POST /subscribe answers, rendered here without JavaScript: the thanks and "check your
// inbox" pages, the form again with its error, and the problems (docs/http-api.md, POST
// /subscribe). The same form markup goes into the web app's index.html for browsers without
// JavaScript (http/brand-index-html.ts). Every value is escaped; texts come from page-texts.ts.

/** Where the form posts (the contract's `subscribe` entry). */
export const SUBSCRIBE_ACTION = '/subscribe';
const EMAIL_ID = 'subscribe-email';
const ERROR_ID = `${EMAIL_ID}-error`;

/**
 * The pages' only styles: small, inline, and allowed by their hash in the CSP (no
 * 'unsafe-inline'), so a page needs no other file and works where only the API is deployed.
 * Class names follow the web app's, whose stylesheet styles the same form in index.html.
 */
const STYLE = [
  ':root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.5;',
  'color:light-dark(#1f1f1f,#e3e3e3);background:light-dark(#fff,#1f1f1f)}',
  'a{color:light-dark(#0b57d0,#a8c7fa)}',
  'body{margin:0;padding:1rem}',
  '.page{max-width:34rem;margin:0 auto}',
  '.site-header h1,.site-name{font-size:1.5rem;margin:.5rem 0}',
  '.tagline{margin:0 0 1rem}',
  '.card{border:1px solid;border-radius:.5rem;padding:1rem 1.25rem}',
  'h1,h2{line-height:1.2}',
  'label{display:block;font-weight:600}',
  '.field-row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-start}',
  '.field-control{flex:1 1 12rem;min-width:0}',
  'input{box-sizing:border-box;width:100%;font:inherit;padding:.5rem}',
  '.button{font:inherit;padding:.5rem 1rem}',
  '.field-error{margin:.25rem 0 0;font-weight:600;color:light-dark(#a4001a,#ffb4ab)}',
  '.honeypot{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}',
  '.address{overflow-wrap:anywhere}',
].join('');

/** A page's styles and the CSP source that allows them (their hash), and nothing else inline. */
interface PageStyle {
  css: string;
  source: string;
}

const styleOf = (css: string): PageStyle => ({
  css,
  source: `'sha256-${createHash('sha256').update(css).digest('base64')}'`,
});

const PLAIN_STYLE = styleOf(STYLE);
/** By accent: an owner changes it rarely, and each page needs its hash. */
const ACCENT_STYLES = new Map<string, PageStyle>();

/**
 * STYLE, with the site's accent (site settings) on the button and the links when it has one, in
 * the light and the dark theme's shades (settings/contrast.ts).
 */
export function pageStyle(accentColor: string | null | undefined): PageStyle {
  if (accentColor === null || accentColor === undefined) return PLAIN_STYLE;
  let style = ACCENT_STYLES.get(accentColor);
  if (style === undefined) {
    const { light, dark } = accentPalette(accentColor);
    const both = (key: keyof typeof light) => `light-dark(${light[key]},${dark[key]})`;
    style = styleOf(
      `${STYLE}a{color:${both('accent')}}` +
        `.button{color:${both('text')};background:${both('accent')};border:1px solid ${both('accent')};border-radius:.5rem}`,
    );
    ACCENT_STYLES.set(accentColor, style);
  }
  return style;
}

/**
 * `frame-ancestors` for the pages EMBED_ORIGINS may frame (the signup page and these): this site
 * and those origins; with none listed, nobody (as every other page).
 */
export function frameAncestors(embedOrigins: readonly string[]): string[] {
  return embedOrigins.length === 0 ? ["'none'"] : ["'self'", ...embedOrigins];
}

/**
 * The referrer policy of a page holding the form: no referrer to other sites, but this origin
 * still named in the form post's `Origin` header, which `no-referrer` would turn into `null`
 * (Fetch, "serializing a request origin"), failing the origin check.
 */
export const FORM_REFERRER_POLICY = 'same-origin';

/** Whether `frameAncestors` allows framing at all (X-Frame-Options DENY when it does not). */
export const framable = (ancestors: readonly string[]) => ancestors[0] !== "'none'";

/**
 * The Content-Security-Policy of the pages rendered here: nothing may load or run but their style
 * (for `accentColor`: pageStyle), the form posts to this origin only, and the site's own pages
 * and EMBED_ORIGINS may frame it.
 */
export function subscribePageCsp(
  ancestors: readonly string[],
  challenge = false,
  accentColor: string | null = null,
): string {
  return [
    "default-src 'none'",
    // With the signup challenge on, the widget's files and its challenges, all from this origin.
    ...(challenge ? ["script-src 'self'", "connect-src 'self'", "worker-src 'self'"] : []),
    `style-src ${pageStyle(accentColor).source}${challenge ? " 'self'" : ''}`,
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${ancestors.join(' ')}`,
  ].join('; ');
}

/** What the form shows: the address typed so far and the message about it, if any. */
export interface FormState {
  email?: string;
  error?: string | null;
}

/** Where the widget fetches its challenges (the contract's GET /api/challenge). */
const CHALLENGE_URL = '/api/challenge';

/**
 * The signup challenge's widget (ALTCHA) inside the form: it solves a challenge when the form is
 * submitted, puts it in the `altcha` field and submits again. Its script is WIDGET_PATH.
 */
const WIDGET_HTML = `<altcha-widget challenge="${CHALLENGE_URL}" name="altcha" auto="onsubmit"></altcha-widget>`;

/**
 * The signup form as plain HTML: label, address, the honeypot out of sight (as the web app
 * renders it), the challenge's widget when `challenge`, submit. An error is linked to the input
 * (aria-describedby) and marks it invalid.
 */
export function signupFormHtml(
  { email = '', error = null }: FormState,
  texts: PageTexts = PAGE_TEXTS,
  challenge = false,
): string {
  const invalid =
    error === null ? '' : ` aria-invalid="true" aria-describedby="${ERROR_ID}" autofocus`;
  return `<form class="signup-form" method="post" action="${SUBSCRIBE_ACTION}" novalidate>
<h2 class="form-title">${escapeHtml(texts.formHeading)}</h2>
<p class="lede">${escapeHtml(texts.formLede)}</p>
<div class="field">
<label for="${EMAIL_ID}">${escapeHtml(texts.emailLabel)}</label>
<div class="field-row">
<div class="field-control">
<input id="${EMAIL_ID}" name="email" type="email" autocomplete="email" autocapitalize="off" spellcheck="false" required placeholder="${escapeHtml(texts.emailPlaceholder)}" value="${escapeHtml(email)}"${invalid}>
${error === null ? '' : `<p id="${ERROR_ID}" class="field-error">${escapeHtml(error)}</p>`}
</div>
<button type="submit" class="button">${escapeHtml(texts.submit)}</button>
</div>
</div>
${challenge ? `${WIDGET_HTML}\n` : ''}<div class="honeypot" aria-hidden="true">
<label for="subscribe-website">${escapeHtml(texts.honeypotLabel)}</label>
<input id="subscribe-website" name="website" type="text" tabindex="-1" autocomplete="off">
</div>
</form>`;
}

function privacyHtml(site: SiteResponse, texts: PageTexts): string {
  return site.privacyUrl === null
    ? ''
    : `<p class="privacy-link"><a href="${escapeHtml(site.privacyUrl)}">${escapeHtml(texts.privacyLink)}</a></p>`;
}

/**
 * The signup page's body: the site's name as the heading, its tagline, the form in the card. The
 * web app's index.html carries it for browsers without JavaScript (`scripted` false); the 400
 * page is it again. With the signup challenge on, a page without scripts cannot sign anybody up:
 * it says that JavaScript is needed instead of showing a form that would only be refused.
 */
export function signupPageHtml(
  site: SiteResponse,
  form: FormState = {},
  texts: PageTexts = PAGE_TEXTS,
  { scripted = true }: { scripted?: boolean } = {},
): string {
  const tagline = site.tagline === '' ? '' : `<p class="tagline">${escapeHtml(site.tagline)}</p>`;
  const content =
    site.challenge && !scripted
      ? `<h2 class="form-title">${escapeHtml(texts.formHeading)}</h2>
<p class="needs-script">${escapeHtml(texts.challengeNeedsScript)}</p>`
      : signupFormHtml(form, texts, site.challenge);
  return `<div class="page">
<header class="site-header"><h1>${escapeHtml(site.name)}</h1>${tagline}</header>
<main class="card">
${content}
${privacyHtml(site, texts)}
</main>
</div>`;
}

/**
 * A whole page: the site's name in the title, STYLE, `body`; with `widget`, the challenge's
 * widget script (a module from this origin, as the CSP allows).
 */
function document(
  site: SiteResponse,
  title: string,
  body: string,
  texts: PageTexts,
  widget = false,
): string {
  return `<!doctype html>
<html lang="${escapeHtml(texts.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} – ${escapeHtml(site.name)}</title>
<style>${pageStyle(site.accentColor).css}</style>
${widget ? `<script type="module" src="${WIDGET_PATH}"></script>\n` : ''}</head>
<body>
${body}
</body>
</html>
`;
}

/** A result or a problem: the site's name linking home, a heading, what to say, a way back. */
function messagePage(site: SiteResponse, title: string, content: string, texts: PageTexts): string {
  return document(
    site,
    title,
    `<div class="page">
<header class="site-header"><p class="site-name"><a href="/">${escapeHtml(site.name)}</a></p></header>
<main class="card">
${content}
<p><a href="/">${escapeHtml(texts.backTo(site.name))}</a></p>
${privacyHtml(site, texts)}
</main>
</div>`,
    texts,
  );
}

/** The address as the web app shows it (normalised), escaped. */
const address = (email: string) => `<span class="address">${escapeHtml(email)}</span>`;

/** `text` with the address where its `{email}` was (none if it had none), escaped. */
const withAddress = ([before, after]: AroundAddress, email: string) =>
  `${escapeHtml(before)}${after === undefined ? '' : `${address(email)}${escapeHtml(after)}`}`;

/** "Thanks for signing up, <address>!" (confirmation off) or "Check your inbox" (on). */
export function resultPage(
  site: SiteResponse,
  email: string,
  pending: boolean,
  texts: PageTexts = PAGE_TEXTS,
): string {
  if (pending) {
    return messagePage(
      site,
      texts.pending.title,
      `<h1>${escapeHtml(texts.pending.heading)}</h1>
<p>${withAddress(texts.pending.text, email)}</p>`,
      texts,
    );
  }
  return messagePage(
    site,
    texts.thanks.title,
    `<h1>${withAddress(texts.thanks.heading, email)}</h1>
<p>${escapeHtml(texts.thanks.text)}</p>`,
    texts,
  );
}

/** The signup page again, the address as typed and the message under it (400). */
export function formErrorPage(
  site: SiteResponse,
  form: { email: string; error: string },
  texts: PageTexts = PAGE_TEXTS,
): string {
  return document(
    site,
    texts.errorTitle(form.error),
    signupPageHtml(site, form, texts),
    texts,
    site.challenge,
  );
}

/** A problem that the form cannot fix (too large, unreadable, refused, too many): heading, message. */
export function problemPage(
  site: SiteResponse,
  heading: string,
  message: string,
  texts: PageTexts = PAGE_TEXTS,
): string {
  return messagePage(
    site,
    texts.errorTitle(heading),
    `<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(message)}</p>`,
    texts,
  );
}
