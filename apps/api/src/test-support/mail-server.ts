import { DEFAULT_SITE_NAME } from '@catlist/contracts';
import { pino } from 'pino';
import { createMailOutbox } from '../confirmation/mail-outbox.js';
import { createMailTransport } from '../confirmation/mail-transport.js';
import { OutboxDrainer } from '../confirmation/outbox-drainer.js';
import { SigningKeys } from '../session/signing-keys.js';
import { type SmtpCatcher, startSmtpCatcher } from './smtp-catcher.js';
import { startTestServer, TEST_SESSION_KEY, type TestServer } from './test-server.js';

export interface MailTestServer extends TestServer {
  smtp: SmtpCatcher;
  drainer: OutboxDrainer;
}

/**
 * The app with confirmation by email on, its outbox drained over SMTP to a real SMTP server
 * (smtp-server) that keeps the mails; links in mails point at this server (PUBLIC_URL).
 */
export async function startMailTestServer(
  overrides: Parameters<typeof startTestServer>[0] = {},
): Promise<MailTestServer> {
  const smtp = await startSmtpCatcher();
  let drainer: OutboxDrainer | undefined;
  const server = await startTestServer({
    ...overrides,
    confirmation: { onQueued: () => drainer?.nudge() },
  });
  drainer = new OutboxDrainer({
    outbox: createMailOutbox(server.database),
    transport: createMailTransport(smtp.url),
    keys: new SigningKeys(overrides.sessionKeys ?? [TEST_SESSION_KEY]),
    settings: {
      from: `${DEFAULT_SITE_NAME} <news@example.com>`,
      publicUrl: server.url,
      siteName: DEFAULT_SITE_NAME,
    },
    logger: pino({ level: 'silent' }),
    retryBaseMs: 100,
    pollMs: 50,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  drainer.start();
  const running = drainer;
  return {
    ...server,
    smtp,
    drainer: running,
    stop: async () => {
      await running.stop();
      await smtp.stop();
      await server.stop();
    },
    cleanup: async () => {
      await running.stop();
      await smtp.stop();
      await server.cleanup();
    },
  };
}
