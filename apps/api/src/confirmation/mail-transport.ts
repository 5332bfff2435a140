import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { ComposedMail } from './mail-message.js';

/** `MAIL_URL=console`: mails are printed instead of sent (development, docs/README). */
export const CONSOLE_MAIL_URL = 'console';

/** Where mails go: an SMTP server, or the console. */
export interface MailTransport {
  /** Resolves once the server accepted the mail; rejects with nodemailer's error otherwise. */
  send(mail: ComposedMail): Promise<void>;
  close(): void;
}

// A send must end well within the outbox lease (outbox-drainer.ts): an SMTP server that stops
// answering costs a retry, never a mail held forever.
/** Connections kept open to the SMTP server (the outbox drainer sends this many at once). */
export const SMTP_CONNECTIONS = 5;
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * nodemailer over SMTP: `smtp://` upgrades with STARTTLS whenever the server offers it,
 * `smtps://` speaks TLS from the start; nodemailer reads user, password, host and port from the
 * URL. `console` prints each mail, with its links, to standard output.
 */
export function createMailTransport(
  url: string,
  print: (text: string) => void = (text) => process.stdout.write(text),
): MailTransport {
  if (url === CONSOLE_MAIL_URL) {
    return {
      async send(mail) {
        const headers = Object.entries(mail.headers).map(([name, value]) => `${name}: ${value}`);
        print(
          [
            '',
            `---------- mail (MAIL_URL=console: not sent) ----------`,
            `From: ${mail.from}`,
            `To: ${mail.to}`,
            `Subject: ${mail.subject}`,
            ...headers,
            '',
            mail.text,
            '-------------------------------------------------------',
            '',
          ].join('\n'),
        );
      },
      close() {},
    };
  }
  // Pooled: a few connections kept open and reused, instead of a TCP and SMTP (and TLS)
  // handshake per mail.
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    ...SMTP_TIMEOUTS,
  });
  return {
    async send(mail) {
      // An explicit envelope: without one nodemailer derives RCPT TO from the `to` header by
      // parsing it as address syntax (quotes, comments, groups) and by IDNA, so the mailbox a mail
      // reaches could differ from the stored address that the mail's link confirms. With it, RCPT
      // TO is exactly the stored address (docs/http-api.md, POST /api/signup).
      await transporter.sendMail({
        ...mail,
        envelope: { from: senderAddress(mail.from), to: mail.to },
      });
    },
    close: () => transporter.close(),
  };
}

/** The address of a sender such as `Cats Everywhere <news@example.com>` (MAIL_FROM). */
export function senderAddress(from: string): string {
  const [first] = addressparser(from, { flatten: true });
  return first?.address || from;
}

/**
 * Whether the SMTP server refused this mail for good (a 5xx for the recipient or the message):
 * trying again would only repeat it. Anything else (no connection, a timeout, a 4xx, bad
 * credentials) is worth retrying: the mail must not be lost to an outage or a config mistake.
 */
export function refusedForGood(error: unknown): boolean {
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  return (
    (code === 'EENVELOPE' || code === 'EMESSAGE') &&
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode < 600
  );
}
