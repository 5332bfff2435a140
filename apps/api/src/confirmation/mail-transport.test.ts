import { checkEmail } from '@catlist/contracts';
import fc from 'fast-check';
import addressparser from 'nodemailer/lib/addressparser';
import { afterEach, describe, expect, it } from 'vitest';
import { type SmtpCatcher, startSmtpCatcher } from '../test-support/smtp-catcher.js';
import { composeMail } from './mail-message.js';
import { createMailTransport, refusedForGood, senderAddress } from './mail-transport.js';

describe('MAIL_URL=console', () => {
  it('prints each mail with its headers and links instead of sending it', async () => {
    const printed: string[] = [];
    const transport = createMailTransport('console', (text) => printed.push(text));
    await transport.send(
      composeMail({ email: 'cat@example.com', kind: 'confirm', token: 'abc' }, 'u.sig', {
        from: 'Cats Everywhere <no-reply@localhost>',
        publicUrl: 'http://localhost:5173',
        siteName: 'Cats Everywhere',
      }),
    );
    const [output = ''] = printed;
    expect(output).toContain('To: cat@example.com');
    expect(output).toContain('Subject: Please confirm your subscription to Cats Everywhere');
    expect(output).toContain('http://localhost:5173/confirm?token=abc');
    expect(output).toContain(
      'List-Unsubscribe: <http://localhost:5173/api/unsubscribe?token=u.sig>',
    );
  });
});

describe('refusedForGood', () => {
  it('gives up only on a permanent refusal of the recipient or the message', () => {
    expect(refusedForGood({ code: 'EENVELOPE', responseCode: 550 })).toBe(true);
    expect(refusedForGood({ code: 'EENVELOPE', responseCode: 450 })).toBe(false);
    expect(refusedForGood({ code: 'EAUTH', responseCode: 535 })).toBe(false);
    expect(refusedForGood({ code: 'ECONNECTION' })).toBe(false);
  });
});

describe('SMTP envelope', () => {
  let smtp: SmtpCatcher | undefined;
  afterEach(async () => {
    await smtp?.stop();
    smtp = undefined;
  });

  it('sends RCPT TO exactly the stored address, and MAIL FROM the address of MAIL_FROM', async () => {
    smtp = await startSmtpCatcher();
    const transport = createMailTransport(smtp.url);
    const settings = {
      from: 'Cats Everywhere <news@example.com>',
      publicUrl: 'http://localhost:5173',
      siteName: 'Cats Everywhere',
    };
    try {
      for (const email of ['cat@example.com', 'v@xn--exmple-cua.com', "o'brien+tag@example.com"]) {
        await transport.send(
          composeMail({ email, kind: 'confirm', token: 'abc' }, 'u.sig', settings),
        );
      }
    } finally {
      transport.close();
    }
    const mails = await smtp.waitFor(3);
    expect(mails.map((mail) => mail.envelope)).toEqual([
      { from: 'news@example.com', to: ['cat@example.com'] },
      { from: 'news@example.com', to: ['v@xn--exmple-cua.com'] },
      { from: 'news@example.com', to: ["o'brien+tag@example.com"] },
    ]);
  });

  it('takes the sender address out of a MAIL_FROM with a display name', () => {
    expect(senderAddress('Cats Everywhere <news@example.com>')).toBe('news@example.com');
    expect(senderAddress('"Cats, Everywhere" <news@example.com>')).toBe('news@example.com');
    expect(senderAddress('news@example.com')).toBe('news@example.com');
  });
});

describe('addresses we accept, as nodemailer reads them', () => {
  // Any character that is address syntax somewhere (quotes, comments, groups, routes, escapes),
  // atext, dots, Unicode letters, and the characters ToASCII folds or maps.
  const piece = fc.oneof(
    fc.constantFrom(...`"()<>,:;[]\\@.!#$%&'*+-/=?^_\`{|}~ aZ09`.split('')),
    fc.constantFrom('é', 'e\u0301', 'ä', 'ß', 'ネ', '例', '\uff45', '\uff03', '\u3002', 'İ'),
    fc.stringMatching(/^[a-z0-9]{1,8}$/),
  );
  const address = fc
    .tuple(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.array(piece, { maxLength: 12 }))
    .map(([local, domain]) => `${local.join('')}@${domain.join('')}.com`);

  it('parses every address checkEmail accepts back to exactly itself, one mailbox, no name', () => {
    fc.assert(
      fc.property(fc.oneof(address, fc.string()), (input) => {
        const result = checkEmail(input);
        if (!result.ok) return;
        expect(addressparser(result.email)).toEqual([{ address: result.email, name: '' }]);
      }),
      { numRuns: 3_000 },
    );
  });

  it('does not accept the spellings that nodemailer reads as another mailbox', () => {
    expect(addressparser('x@attacker"victim.example')).toEqual([
      { address: 'x@attacker', name: 'victim.example' },
    ]);
    expect(checkEmail('x@attacker"victim.example').ok).toBe(false);
    expect(checkEmail('"v@example.com').ok).toBe(false);
    expect(checkEmail('v"@example.com').ok).toBe(false);
  });
});
