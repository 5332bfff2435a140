import { contrastRatio, escapeHtml, TEXT_CONTRAST } from '@catlist/contracts';
import type { MailTexts } from './mail-texts.js';

// The one look of every mail to a visitor (confirmation, already subscribed, announcements): the
// site's name (and logo) over a card with a bar in its accent colour, a real button for the one
// thing to do, the way out in the footer; and the plain-text part with the same words and every URL in full.
//
// Mail clients are not browsers: many drop <style> or ignore classes, and Outlook lays out with
// Word. So the layout is tables, every style that matters is inline, and <style> only adds what
// can be lost without harm (the dark colours, for clients that honour prefers-color-scheme).

/** The web app's accent (apps/web/src/styles/global.css, `--accent`), until the site sets one. */
export const DEFAULT_MAIL_ACCENT = '#b3400b';

/** How the site looks in its mails. */
export interface MailLook {
  siteName: string;
  /** The site's origin (no trailing slash): the name links there. */
  publicUrl: string;
  /** The button's colour, `#rrggbb`; the web app's accent by default. */
  accent?: string | undefined;
  /** An image shown before the site's name (absolute https URL), when the site has one. */
  logoUrl?: string | undefined;
  texts: MailTexts;
}

/** What one mail says, in the order it says it. */
export interface MailContent {
  /** The subject, also the HTML part's title. */
  subject: string;
  heading: string;
  /** Paragraphs before the button. */
  intro: readonly string[];
  /**
   * A body of its own after the intro (an announcement): HTML made by a renderer that escapes
   * what it was given and styles it inline (announcements/markdown.ts), and its plain-text part.
   */
  body?: { html: string; text: string } | undefined;
  /** The one thing to do: a button, its URL also given once as text. */
  action?: { label: string; url: string } | undefined;
  /** Paragraphs after the button (smaller). */
  outro: readonly string[];
  /** The unsubscribe page, linked from the footer. */
  unsubscribeUrl: string;
}

/** Colours of light mode (inline) and dark mode (<style>), as the web app's. */
export const LIGHT = {
  page: '#fdf6ec',
  card: '#ffffff',
  text: '#2b1d14',
  muted: '#6b5547',
  border: '#d9c4b0',
};
const DARK = {
  page: '#1c1511',
  card: '#2a211b',
  text: '#f6ebe0',
  muted: '#c9b6a6',
  border: '#5a4638',
};
export const FONT = `system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif`;

/** Classes the dark-mode <style> recolours (with !important, over the inline light colours). */
const STYLE = `:root{color-scheme:light dark;supported-color-schemes:light dark}
body{margin:0;padding:0;-webkit-text-size-adjust:100%}
@media (prefers-color-scheme: dark){
.mail-page{background:${DARK.page}!important}
.mail-card{background:${DARK.card}!important;border-right-color:${DARK.border}!important;border-bottom-color:${DARK.border}!important;border-left-color:${DARK.border}!important}
.mail-text,.mail-text a{color:${DARK.text}!important}
.mail-muted,.mail-muted a{color:${DARK.muted}!important}
}`;

/**
 * The button's text colour on `accent`: white when it reads well enough there (4.5:1, WCAG AA),
 * else the dark text colour, so that any accent a site picks gives a readable button.
 */
export function buttonTextOn(accent: string): string {
  return contrastRatio(accent, '#ffffff') >= TEXT_CONTRAST ? '#ffffff' : LIGHT.text;
}

/** The bulletproof button: a table cell in the accent colour around a padded link. */
function buttonHtml(label: string, url: string, accent: string): string {
  const href = escapeHtml(url);
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px;border-collapse:separate">
<tr><td align="center" bgcolor="${accent}" style="border-radius:8px;background:${accent}">
<a href="${href}" style="display:inline-block;padding:12px 24px;border-radius:8px;font-family:${FONT};font-size:16px;font-weight:600;line-height:1.25;color:${buttonTextOn(accent)};text-decoration:none">${escapeHtml(label)}</a>
</td></tr>
</table>`;
}

const paragraph = (text: string, style: string, className: string) =>
  `<p class="${className}" style="margin:0 0 16px;${style}">${escapeHtml(text)}</p>`;

/** The mail's HTML part and its plain-text part. */
export function renderMail(
  content: MailContent,
  { siteName, publicUrl, accent = DEFAULT_MAIL_ACCENT, logoUrl, texts }: MailLook,
): { html: string; text: string } {
  if (!/^#[0-9a-f]{6}$/i.test(accent))
    throw new Error(`renderMail: accent ${accent} is not #rrggbb`);
  const { subject, heading, intro, body, action, outro, unsubscribeUrl } = content;
  const textStyle = `color:${LIGHT.text}`;
  const mutedStyle = `font-size:14px;color:${LIGHT.muted}`;
  const logo =
    logoUrl === undefined
      ? ''
      : `<img src="${escapeHtml(logoUrl)}" alt="" width="40" height="40" style="display:inline-block;vertical-align:middle;margin-right:8px;border:0">`;
  const actionHtml =
    action === undefined
      ? ''
      : `${buttonHtml(action.label, action.url, accent)}
<p class="mail-muted" style="margin:0 0 16px;${mutedStyle}">${escapeHtml(texts.orOpenLink)} <a href="${escapeHtml(action.url)}" style="color:${LIGHT.muted};word-break:break-all;overflow-wrap:anywhere">${escapeHtml(action.url)}</a></p>`;

  const html = `<!doctype html>
<html lang="${escapeHtml(texts.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(subject)}</title>
<style>${STYLE}</style>
</head>
<body class="mail-page" style="margin:0;padding:0;background:${LIGHT.page}">
<table role="presentation" class="mail-page" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${LIGHT.page}">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;font-family:${FONT};font-size:16px;line-height:1.5">
<tr><td class="mail-text" style="padding:0 4px 16px;font-size:20px;font-weight:700;${textStyle}">${logo}<a href="${escapeHtml(publicUrl)}" style="${textStyle};text-decoration:none">${escapeHtml(siteName)}</a></td></tr>
<tr><td class="mail-card mail-text" style="background:${LIGHT.card};border:1px solid ${LIGHT.border};border-top:4px solid ${accent};border-radius:12px;padding:24px 20px;overflow-wrap:anywhere;${textStyle}">
<h1 class="mail-text" style="margin:0 0 16px;font-size:22px;line-height:1.3;${textStyle}">${escapeHtml(heading)}</h1>
${intro.map((text) => paragraph(text, textStyle, 'mail-text')).join('\n')}
${body === undefined ? '' : `${body.html}\n`}${actionHtml}
${outro.map((text) => paragraph(text, mutedStyle, 'mail-muted')).join('\n')}
</td></tr>
<tr><td class="mail-muted" style="padding:16px 4px;font-size:13px;color:${LIGHT.muted};overflow-wrap:anywhere">${escapeHtml(texts.unsubscribe.lead)} <a href="${escapeHtml(unsubscribeUrl)}" style="color:${LIGHT.muted}">${escapeHtml(texts.unsubscribe.link)}</a></td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;

  const text = [
    heading,
    ...intro,
    ...(body === undefined ? [] : [body.text.trim()]),
    ...(action === undefined ? [] : [`${action.label}:\n${action.url}`]),
    ...outro,
    `${texts.unsubscribe.lead}\n${unsubscribeUrl}`,
    `${siteName}\n${publicUrl}`,
  ].join('\n\n');
  return { html, text: `${text}\n` };
}
