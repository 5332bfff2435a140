// @ts-check
// The peer of announce-delivery: nodemailer alone, sending the same mails catlist sends (the
// announcement's subject, HTML and text, one recipient each, with the unsubscribe headers) to the
// same SMTP server, over a pool with catlist's settings (apps/api/src/confirmation/mail-transport.ts:
// 5 connections, the same timeouts) and with catlist's concurrency (one send at a time per
// connection, announcement-sender.ts). No database, no rendering per recipient: the floor of
// sending these mails through nodemailer.
//
// Usage: node peers/nodemailer-send.mjs '<json>' with { url, from, count, subject, html, text,
// headers }; prints `READY` once set up, sends on a line `go` on standard input, then prints
// `SENT_JSON {"sent":n,"failed":n,"ms":n}` and exits.
import { createInterface } from 'node:readline';
import nodemailer from 'nodemailer';

/** As apps/api/src/confirmation/mail-transport.ts. */
const SMTP_CONNECTIONS = 5;
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * @typedef {{ url: string, from: string, count: number, subject: string, html: string,
 *   text: string, headers: Record<string, string> }} PeerConfig
 */

/** @type {PeerConfig} */
const config = JSON.parse(process.argv[2] ?? '{}');
const transporter = nodemailer.createTransport({
  url: config.url,
  pool: true,
  maxConnections: SMTP_CONNECTIONS,
  ...SMTP_TIMEOUTS,
});
const sender = /<([^>]+)>/.exec(config.from)?.[1] ?? config.from;

/** The i-th recipient's mail: the same parts, their own address (and so their own link). */
function mailFor(/** @type {number} */ i) {
  const to = `reader${i}@peer.example.com`;
  return {
    from: config.from,
    to,
    subject: config.subject,
    text: config.text,
    html: config.html,
    headers: config.headers,
    envelope: { from: sender, to },
  };
}

async function sendAll() {
  let next = 0;
  let sent = 0;
  let failed = 0;
  const worker = async () => {
    while (next < config.count) {
      const i = next++;
      try {
        await transporter.sendMail(mailFor(i));
        sent += 1;
      } catch {
        failed += 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: SMTP_CONNECTIONS }, worker));
  return { sent, failed, ms: performance.now() - started };
}

const lines = createInterface({ input: process.stdin });
process.stdout.write('READY\n');
for await (const line of lines) {
  if (line.trim() !== 'go') continue;
  const result = await sendAll();
  process.stdout.write(`SENT_JSON ${JSON.stringify(result)}\n`);
  break;
}
lines.close();
transporter.close();
