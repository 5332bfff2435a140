// The HTML an admin pastes into another site to take signups there ("Put it on your site"): a
// plain form that posts to POST /subscribe and works without JavaScript (with the signup
// challenge on, it needs JavaScript for the widget), or an iframe of the signup page. Built as
// text here, apart from React, so that it can be tested as the HTML it is.

import { CHALLENGE_WIDGET_PATH, challengeEndpoints, escapeHtml } from '@catlist/contracts';

/** What the snippets are built from (GET /api/admin/embed, and the site's name). */
export interface SnippetOptions {
  /** The catlist server's origin, no trailing slash (PUBLIC_URL). */
  publicUrl: string;
  siteName: string;
  /** Where to send people after they signed up; empty or absent: catlist's own page. */
  redirect?: string | undefined;
  /** Signups must solve a challenge: the form carries the widget that solves it. */
  challenge: boolean;
}

/** The words of the form, shared with its preview so that the two cannot drift apart. */
export const FORM_WORDS = {
  email: 'Email address',
  honeypot: 'Website (leave this empty)',
  submit: (siteName: string) => `Sign up for ${siteName}`,
} as const;

/** The off-screen wrapper of the honeypot: out of sight, out of the tab order, unread. */
const OFF_SCREEN = 'position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden';

/** Where the form posts: the server's POST /subscribe. */
export function subscribeUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/subscribe`;
}

/** The challenge widget's script, served by the catlist server. */
export function widgetUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${CHALLENGE_WIDGET_PATH}`;
}

/** Where the widget fetches its challenges: the server's GET /api/challenge. */
export function challengeUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${challengeEndpoints.getChallenge.path}`;
}

/** The signup page's address, for the iframe. */
export function signupPageUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/`;
}

/**
 * A plain HTML signup form: a labelled email field, the honeypot (a field people never see, so
 * only bots fill it in) hidden off-screen rather than with `display: none`, which some bots skip,
 * the optional page to return to, and the button; with the challenge on, the widget's script and
 * the widget, which solves a challenge when the form is sent and sends it along as `altcha`.
 * Comments say what each part is for; the site's name never goes into a comment, where `-->`
 * would end it.
 */
export function formSnippet({ publicUrl, siteName, redirect = '', challenge }: SnippetOptions) {
  const lines = [
    ...(challenge
      ? [
          '<!-- This list asks every signup to solve a small puzzle that keeps bots out: this',
          '     script (once per page) solves it in the browser when the form is sent. -->',
          `<script type="module" src="${escapeHtml(widgetUrl(publicUrl))}"></script>`,
        ]
      : []),
    `<form method="post" action="${escapeHtml(subscribeUrl(publicUrl))}">`,
    `  <label for="catlist-email">${escapeHtml(FORM_WORDS.email)}</label>`,
    '  <input id="catlist-email" type="email" name="email" required autocomplete="email">',
    '  <!-- A trap for bots: people never see this field, so it stays empty. Keep it. -->',
    `  <div aria-hidden="true" style="${OFF_SCREEN}">`,
    `    <label for="catlist-website">${escapeHtml(FORM_WORDS.honeypot)}</label>`,
    '    <input id="catlist-website" type="text" name="website" tabindex="-1" autocomplete="off">',
    '  </div>',
    '  <!-- Optional: the page to send people to once they signed up. It must be on an origin',
    '       listed in EMBED_ORIGINS on the catlist server; empty: catlist shows its own page. -->',
    `  <input type="hidden" name="redirect" value="${escapeHtml(redirect)}">`,
    ...(challenge
      ? [
          `  <altcha-widget challenge="${escapeHtml(challengeUrl(publicUrl))}" name="altcha" auto="onsubmit"></altcha-widget>`,
        ]
      : []),
    `  <button type="submit">${escapeHtml(FORM_WORDS.submit(siteName))}</button>`,
    '</form>',
  ];
  return `${lines.join('\n')}\n`;
}

/** The signup page in an iframe; it shows only on sites whose origin is in EMBED_ORIGINS. */
export function iframeSnippet({
  publicUrl,
  siteName,
}: Pick<SnippetOptions, 'publicUrl' | 'siteName'>) {
  return (
    `<iframe src="${escapeHtml(signupPageUrl(publicUrl))}"\n` +
    `  title="${escapeHtml(FORM_WORDS.submit(siteName))}"\n` +
    '  width="100%" height="480" loading="lazy" style="border:0;max-width:32rem"></iframe>\n'
  );
}
