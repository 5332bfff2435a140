import type { OutboxMail } from './mail-outbox.js';

/** What every mail needs to know about the site that sends it. */
export interface MailSettings {
  /** The sender, e.g. `Cats Everywhere <news@example.com>`. */
  from: string;
  /** The origin that links in mails point to (no trailing slash). */
  publicUrl: string;
  siteName: string;
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

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

/** `base` + path with `token` as its query (the token is base64url, but encode it all the same). */
const link = (base: string, path: string, token: string) =>
  `${base}${path}?token=${encodeURIComponent(token)}`;

/**
 * The mail for an outbox row: a confirmation link, or a note that the address is on the list
 * already. Short and plain: what happened, the link, why the reader got it, how to stop.
 */
export function composeMail(
  mail: Pick<OutboxMail, 'email' | 'kind' | 'token'>,
  unsubscribeToken: string,
  { from, publicUrl, siteName }: MailSettings,
): ComposedMail {
  const unsubscribePage = link(publicUrl, '/unsubscribe', unsubscribeToken);
  const oneClick = link(publicUrl, '/api/unsubscribe', unsubscribeToken);
  const why = `You got this mail because someone, probably you, entered ${mail.email} on the signup page of ${siteName} (${publicUrl}).`;
  let subject: string;
  let lines: { text: string; href?: string }[];
  if (mail.kind === 'confirm') {
    if (!mail.token) throw new Error('composeMail: a confirmation mail needs its token');
    const confirm = link(publicUrl, '/confirm', mail.token);
    subject = `Please confirm your subscription to ${siteName}`;
    lines = [
      { text: `Please confirm that you want ${mail.email} on the ${siteName} list:` },
      { text: confirm, href: confirm },
      { text: 'The link works for 48 hours.' },
      {
        text: `${why} If it was not you, ignore this mail: the address is not added without confirmation.`,
      },
    ];
  } else {
    subject = `You are already on the ${siteName} list`;
    lines = [
      { text: `${mail.email} is already on the ${siteName} list, so nothing changed.` },
      { text: why },
    ];
  }
  lines.push({ text: 'To leave the list, or to stop these mails:' });
  lines.push({ text: unsubscribePage, href: unsubscribePage });
  lines.push({ text: `${siteName}` });

  const text = `${lines.map((line) => line.text).join('\n\n')}\n`;
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 36em;">
${lines
  .map((line) =>
    line.href
      ? `<p><a href="${escapeHtml(line.href)}">${escapeHtml(line.text)}</a></p>`
      : `<p>${escapeHtml(line.text)}</p>`,
  )
  .join('\n')}
</body></html>
`;
  return {
    from,
    to: mail.email,
    subject,
    text,
    html,
    headers: {
      // RFC 8058: a mail provider may POST `List-Unsubscribe=One-Click` to this address.
      'List-Unsubscribe': `<${oneClick}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
