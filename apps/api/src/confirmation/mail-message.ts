import { type MailContent, renderMail } from './mail-layout.js';
import type { OutboxMail } from './mail-outbox.js';
import { MAIL_TEXTS, type MailTexts } from './mail-texts.js';

/** What every mail needs to know about the site that sends it. */
export interface MailSettings {
  /** The sender, e.g. `Cats Everywhere <news@example.com>`. */
  from: string;
  /** The origin that links in mails point to (no trailing slash). */
  publicUrl: string;
  siteName: string;
  /** The button's colour (`#rrggbb`); the web app's accent until the site sets one. */
  accent?: string | undefined;
  /** The site's logo, shown by its name; none yet. */
  logoUrl?: string | undefined;
}

/** A mail ready for nodemailer: both parts, and the RFC 8058 one-click headers. */
export interface ComposedMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** `base` + path with `token` as its query (the token is base64url, but encode it all the same). */
const link = (base: string, path: string, token: string) =>
  `${base}${path}?token=${encodeURIComponent(token)}`;

/**
 * The mail for an outbox row: a confirmation link, or a note that the address is on the list
 * already. Short: what happened, the one thing to do, why the reader got it, how to stop; in the
 * site's mail layout (mail-layout.ts), with the words of mail-texts.ts in one language (the
 * drainer picks the signup's: mailTextsFor).
 */
export function composeMail(
  mail: Pick<OutboxMail, 'email' | 'kind' | 'token'>,
  unsubscribeToken: string,
  { from, publicUrl, siteName, accent, logoUrl }: MailSettings,
  texts: MailTexts = MAIL_TEXTS,
): ComposedMail {
  const unsubscribePage = link(publicUrl, '/unsubscribe', unsubscribeToken);
  const oneClick = link(publicUrl, '/api/unsubscribe', unsubscribeToken);
  const why = texts.why(mail.email, siteName, publicUrl);
  let content: MailContent;
  if (mail.kind === 'confirm') {
    if (!mail.token) throw new Error('composeMail: a confirmation mail needs its token');
    const words = texts.confirm;
    content = {
      subject: words.subject(siteName),
      heading: words.heading,
      intro: [words.text(mail.email, siteName)],
      action: { label: words.button, url: link(publicUrl, '/confirm', mail.token) },
      outro: [words.validFor, `${why} ${words.notYou}`],
      unsubscribeUrl: unsubscribePage,
    };
  } else {
    const words = texts.already;
    content = {
      subject: words.subject(siteName),
      heading: words.heading,
      intro: [words.text(mail.email, siteName)],
      outro: [why],
      unsubscribeUrl: unsubscribePage,
    };
  }
  const { html, text } = renderMail(content, { siteName, publicUrl, accent, logoUrl, texts });
  return {
    from,
    to: mail.email,
    subject: content.subject,
    text,
    html,
    headers: {
      // RFC 8058: a mail provider may POST `List-Unsubscribe=One-Click` to this address.
      'List-Unsubscribe': `<${oneClick}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      // The language the words are in (RFC 3282), as the HTML part's `lang` says.
      'Content-Language': texts.lang,
    },
  };
}
