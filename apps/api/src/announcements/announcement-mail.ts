import { renderMail } from '../confirmation/mail-layout.js';
import type { ComposedMail, MailSettings } from '../confirmation/mail-message.js';
import type { MailTexts } from '../confirmation/mail-texts.js';
import type { StoredMessage } from './announcement-store.js';
import { markdownToMailHtml } from './markdown.js';

/** One version of an announcement made ready once for all its recipients. */
export interface RenderedMessage {
  language: string;
  subject: string;
  /** The body as mail HTML (markdown.ts). */
  html: string;
  /** The Markdown source: it reads well as text. */
  text: string;
}

export function renderMessage(message: StoredMessage): RenderedMessage {
  return {
    language: message.language,
    subject: message.subject,
    html: markdownToMailHtml(message.body),
    text: message.body,
  };
}

/** The version for a recipient who signed up in `language`: theirs, else the first. */
export function messageFor<T extends { language: string }>(
  messages: readonly T[],
  language: string | null,
): T {
  const first = messages[0];
  if (!first) throw new Error('an announcement has at least one version');
  return messages.find((message) => message.language === language) ?? first;
}

/** `base` + path with the token and the announcement as its query. */
const link = (base: string, path: string, token: string, announcementId: number | undefined) =>
  `${base}${path}?token=${encodeURIComponent(token)}${
    announcementId === undefined ? '' : `&announcement=${announcementId}`
  }`;

/**
 * The mail one recipient gets: the version's subject over its body, in the site's mail layout,
 * with the recipient's own unsubscribe links (carrying the announcement, so that leaving through
 * them is counted for it) and the RFC 8058 one-click headers, as the confirmation mails have.
 * A test mail or a preview has no announcement to count for (`announcementId` undefined).
 */
export function composeAnnouncementMail(
  message: RenderedMessage,
  email: string,
  unsubscribeToken: string,
  announcementId: number | undefined,
  { from, publicUrl, siteName, accent, logoUrl }: MailSettings,
  texts: MailTexts,
): ComposedMail {
  const unsubscribePage = link(publicUrl, '/unsubscribe', unsubscribeToken, announcementId);
  const oneClick = link(publicUrl, '/api/unsubscribe', unsubscribeToken, announcementId);
  const { html, text } = renderMail(
    {
      subject: message.subject,
      heading: message.subject,
      intro: [],
      body: { html: message.html, text: message.text },
      outro: [texts.why(email, siteName, publicUrl)],
      unsubscribeUrl: unsubscribePage,
    },
    { siteName, publicUrl, accent, logoUrl, texts },
  );
  return {
    from,
    to: email,
    subject: message.subject,
    text,
    html,
    headers: {
      'List-Unsubscribe': `<${oneClick}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Content-Language': texts.lang,
    },
  };
}
