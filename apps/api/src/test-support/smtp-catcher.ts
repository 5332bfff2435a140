import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** A mail as the SMTP server received it, parsed. */
export interface CaughtMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A header's value as sent (unfolded); undefined when absent. */
  header(name: string): string | undefined;
  /** The RFC 8058 one-click address from `List-Unsubscribe`. */
  listUnsubscribe: string;
  raw: string;
  /** Whether the mail came over TLS (STARTTLS). */
  secure: boolean;
  /**
   * The SMTP envelope as the client sent it: MAIL FROM and every RCPT TO, between the brackets,
   * byte for byte (smtp-server's own `session.envelope` shows domains decoded from punycode).
   */
  envelope: { from: string; to: string[] };
}

export interface SmtpCatcher {
  port: number;
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  mails: CaughtMail[];
  /** Resolves once at least `count` mails arrived (fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<CaughtMail[]>;
  /** Stops listening (an SMTP outage); `start` listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A real SMTP server (nodemailer's `smtp-server`) on 127.0.0.1 that keeps what it receives.
 * Without TLS or auth: the tests speak plain SMTP on the loopback.
 */
export async function startSmtpCatcher(
  port = 0,
  /** Offer STARTTLS (with smtp-server's built-in self-signed certificate). */
  { starttls = false }: { starttls?: boolean } = {},
): Promise<SmtpCatcher> {
  const mails: CaughtMail[] = [];
  let server: SMTPServer | null = null;
  // The commands as received, by connection: smtp-server logs each one at debug level, before it
  // parses it.
  const envelopes = new Map<string, { from: string; to: string[] }>();
  const quiet = () => {};
  const commandLog = {
    trace: quiet,
    info: quiet,
    warn: quiet,
    error: quiet,
    fatal: quiet,
    debug(meta: { tnx?: string; cid?: string }, _format: string, line?: unknown) {
      if (meta?.tnx !== 'command' || typeof meta.cid !== 'string' || typeof line !== 'string') {
        return;
      }
      const address = /^(MAIL FROM|RCPT TO):\s*<([^>]*)>/i.exec(line);
      if (!address) return;
      if (address[1]?.toUpperCase() === 'MAIL FROM') {
        envelopes.set(meta.cid, { from: address[2] ?? '', to: [] });
      } else {
        envelopes.get(meta.cid)?.to.push(address[2] ?? '');
      }
    },
  };
  const listen = async (on: number) => {
    const instance = new SMTPServer({
      authOptional: true,
      disabledCommands: starttls ? ['AUTH'] : ['STARTTLS', 'AUTH'],
      logger: commandLog as unknown as SMTPServerOptions['logger'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              const head = raw.split(/\r?\n\r?\n/)[0]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';
              mails.push({
                to: Array.isArray(parsed.to) ? (parsed.to[0]?.text ?? '') : (parsed.to?.text ?? ''),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                header: (name) =>
                  head
                    .split(/\r?\n/)
                    .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
                    ?.slice(name.length + 1)
                    .trim(),
                listUnsubscribe: /^List-Unsubscribe:\s*<([^>]+)>/im.exec(head)?.[1] ?? '',
                raw,
                secure: session.secure,
                envelope: envelopes.get(session.id) ?? { from: '', to: [] },
              });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      instance.once('error', reject);
      instance.listen(on, '127.0.0.1', () => resolve());
    });
    // A client that goes away mid-session (a server killed on purpose by a crash test) resets its
    // connection, which smtp-server reports on the server: the catcher's business is the mails
    // that arrived, not the sockets that died. Anything else still fails the run.
    instance.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
    });
    server = instance;
    return (instance.server.address() as AddressInfo).port;
  };
  const actual = await listen(port);
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    mails,
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`${mails.length} of ${count} mails arrived`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return mails;
    },
    async stop() {
      const current = server;
      server = null;
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    async start() {
      if (!server) await listen(actual);
    },
  };
}

/** The first link in `text` that starts with `prefix`. */
export function linkIn(text: string, prefix: string): string {
  const found = text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!found) throw new Error(`no link starting with ${prefix} in:\n${text}`);
  return found;
}
