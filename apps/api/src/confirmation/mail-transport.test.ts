import { describe, expect, it } from 'vitest';
import { composeMail } from './mail-message.js';
import { createMailTransport, refusedForGood } from './mail-transport.js';

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
