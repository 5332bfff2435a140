import { DEFAULT_SITE_NAME } from '@catlist/contracts';
import type { AnnouncePace } from '../announcements/announcement-store.js';
import { type SmtpCatcher, startSmtpCatcher } from './smtp-catcher.js';
import { freePort, startTestServer, type TestServer } from './test-server.js';

export interface MailTestServer extends TestServer {
  smtp: SmtpCatcher;
}

/**
 * The app with confirmation by email on, its outbox drained over SMTP to a real SMTP server
 * (smtp-server) that keeps the mails; links in mails point at this server (PUBLIC_URL).
 */
export async function startMailTestServer(
  overrides: Parameters<typeof startTestServer>[0] = {},
  /** The announcements' pace (ANNOUNCE_RATE, ANNOUNCE_HOURLY_CAP); unpaced unless given. */
  { announcePace = { rate: 0 } }: { announcePace?: AnnouncePace } = {},
): Promise<MailTestServer> {
  const smtp = await startSmtpCatcher();
  // The app's mails link to the server, so its URL is known before the app is built.
  const port = await freePort();
  const server = await startTestServer({
    ...overrides,
    port,
    background: true,
    confirmation: {
      mailUrl: smtp.url,
      from: `${DEFAULT_SITE_NAME} <news@example.com>`,
      publicUrl: `http://127.0.0.1:${port}`,
      retryBaseMs: 100,
      pollMs: 50,
      announcePace,
    },
  });
  return {
    ...server,
    smtp,
    stop: async () => {
      try {
        await server.stop();
      } finally {
        await smtp.stop();
      }
    },
    cleanup: async () => {
      try {
        await server.cleanup();
      } finally {
        await smtp.stop();
      }
    },
  };
}
