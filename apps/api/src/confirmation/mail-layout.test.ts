import { afterEach, describe, expect, it } from 'vitest';
import { type MailTestServer, startMailTestServer } from '../test-support/mail-server.js';
import { listEmails, TEST_BACKEND } from '../test-support/test-server.js';
import { buttonTextOn, DEFAULT_MAIL_ACCENT } from './mail-layout.js';
import { composeMail } from './mail-message.js';

// The mails' layout (mail-layout.ts): what a real SMTP server receives, both parts, the button.
// How it looks (360 px, dark mode) is Chromium's to say: apps/web/e2e/mail-layout.e2e.test.ts.

const servers: MailTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.cleanup()));
});

/** The href of the link whose text is `label`, in `html`. */
function hrefOf(html: string, label: string): string {
  const match = new RegExp(`<a href="([^"]+)"[^>]*>${label}</a>`).exec(html);
  if (!match?.[1]) throw new Error(`no link "${label}" in:\n${html}`);
  return match[1].replaceAll('&amp;', '&');
}

describe(`the confirmation mail, received (${TEST_BACKEND})`, () => {
  it('has a text and an HTML part, a button that confirms, and the one-click headers', async () => {
    const server = await startMailTestServer();
    servers.push(server);
    await server.browser().post('/api/signup').send({ email: 'cat@example.com' }).expect(200);
    const [mail] = await server.smtp.waitFor(1);
    if (!mail) throw new Error('no mail');

    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/i);
    expect(mail.raw).toMatch(/Content-Type: text\/html/i);
    expect(mail.subject).toBe('Please confirm your subscription to Cats Everywhere');

    // The HTML part: the site's name, a button in the accent colour, no raw token URL as the
    // button's words, the URL once more as text for those who cannot use the button.
    const confirm = hrefOf(mail.html, 'Confirm my subscription');
    expect(confirm).toMatch(new RegExp(`^${server.url}/confirm\\?token=[\\w.-]+$`));
    expect(mail.html).toContain(`bgcolor="${DEFAULT_MAIL_ACCENT}"`);
    expect(mail.html).toContain('<meta name="color-scheme" content="light dark">');
    expect(mail.html).toContain('>Cats Everywhere</a>');
    // Two links (the button, the text), the URL shown once.
    expect(mail.html.split(`href="${confirm}"`).length - 1).toBe(2);
    expect(mail.html.split(`>${confirm}</a>`).length - 1).toBe(1);
    const unsubscribe = hrefOf(mail.html, 'Unsubscribe');
    expect(unsubscribe).toMatch(new RegExp(`^${server.url}/unsubscribe\\?token=`));

    // The text part: every URL in full.
    expect(mail.text).toContain(`Confirm my subscription:\n${confirm}\n`);
    expect(mail.text).toContain(`To leave the list, or to stop these mails:\n${unsubscribe}\n`);

    // The one-click headers, as before.
    const oneClick = unsubscribe.replace('/unsubscribe?', '/api/unsubscribe?');
    expect(mail.header('List-Unsubscribe')).toBe(`<${oneClick}>`);
    expect(mail.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    // Following the button: the page it opens sends its token to POST /api/confirm.
    const token = new URL(confirm).searchParams.get('token');
    expect(await listEmails(server.database)).toEqual([]);
    await server.browser().post('/api/confirm').send({ token }).expect(200);
    expect(await listEmails(server.database)).toEqual(['cat@example.com']);
  });
});

describe('the mail layout', () => {
  const settings = {
    from: 'news@example.com',
    publicUrl: 'https://cats.example',
    siteName: 'Cats & <Dogs>',
  };

  it('escapes the site, the address and the links', () => {
    const { html } = composeMail(
      { email: 'o"brien<b>@example.com', kind: 'already-subscribed', token: null },
      'u.sig',
      settings,
    );
    expect(html).toContain('>Cats &amp; &lt;Dogs&gt;</a>');
    expect(html).toContain('o&quot;brien&lt;b&gt;@example.com');
    expect(html).not.toContain('<b>');
    // Nothing to confirm: no button.
    expect(html).not.toContain('bgcolor=');
  });

  it('takes an accent colour and a logo, and keeps the button readable on any accent', () => {
    const { html } = composeMail({ email: 'cat@example.com', kind: 'confirm', token: 't' }, 'u', {
      ...settings,
      accent: '#ffd24d',
      logoUrl: 'https://cats.example/logo.png',
    });
    expect(html).toContain('bgcolor="#ffd24d"');
    expect(html).toContain('<img src="https://cats.example/logo.png" alt=""');
    expect(buttonTextOn('#ffd24d')).toBe('#2b1d14');
    expect(buttonTextOn(DEFAULT_MAIL_ACCENT)).toBe('#ffffff');
    expect(() =>
      composeMail({ email: 'cat@example.com', kind: 'confirm', token: 't' }, 'u', {
        ...settings,
        accent: 'red;background:url(x)',
      }),
    ).toThrow(/not #rrggbb/);
  });
});
