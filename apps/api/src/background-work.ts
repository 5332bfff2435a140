import type { Logger } from 'pino';
import type { AnnouncementSender } from './announcements/announcement-sender.js';
import type { SignupChallenge } from './challenge/signup-challenge.js';
import type { ConfirmationStore } from './confirmation/confirmation-store.js';
import type { OutboxDrainer } from './confirmation/outbox-drainer.js';
import { type ImportStore, STAGED_IMPORT_TTL_MS } from './csv/import-store.js';
import type { SessionStore } from './stores/session-store.js';

/**
 * Expired sessions, confirmation requests, staged imports and spent signup challenges are removed
 * this often.
 */
export const SWEEP_MS = 10 * 60 * 1000;

/** What runs beside the HTTP app: the sweeper of expired rows, and the mail outbox drainer. */
export interface BackgroundWork {
  /** Starts the sweeper and, with confirmation by email, the drainer (once listening). */
  start(): void;
  /** Stops both; the drainer finishes the mail it is sending. */
  close(): Promise<void>;
}

/** The background work of one app, made by `createApp` from the stores it built. */
export function backgroundWork({
  sessions,
  confirmations,
  imports,
  challenge,
  drainer,
  announcer,
  logger,
  now,
}: {
  sessions: SessionStore;
  imports: ImportStore;
  confirmations: ConfirmationStore | undefined;
  /** The signup challenge, when it is on: its spent challenges expire. */
  challenge: SignupChallenge | undefined;
  drainer: OutboxDrainer | undefined;
  /** Sends announcements (with MAIL_URL); stopped before the drainer, which closes the transport. */
  announcer?: AnnouncementSender | undefined;
  logger: Logger;
  now: () => number;
}): BackgroundWork {
  let sweeper: NodeJS.Timeout | undefined;
  /** Runs one cleanup, logging what it removed, or its failure (the next sweep tries again). */
  const purge = (cleanup: Promise<number>, removed: string, failed: string) => {
    cleanup
      .then((purged) => purged > 0 && logger.info({ purged }, removed))
      .catch((error: unknown) => logger.error({ err: error }, failed));
  };
  // The messages are the ones docs/operations.md lists for operators to watch.
  const sweep = () => {
    purge(sessions.purgeExpired(now()), 'expired sessions removed', 'session cleanup failed');
    if (confirmations) {
      purge(
        confirmations.purgeExpired(now()),
        'expired confirmations removed',
        'confirmation cleanup failed',
      );
    }
    if (challenge) {
      purge(
        challenge.purgeExpired(now()),
        'expired signup challenges removed',
        'signup challenge cleanup failed',
      );
    }
    // Staged imports no confirm will take: previews left alone, a `catlist import` killed before
    // its commit (its rows stay staged, nothing else would remove them), a commit that died.
    purge(
      imports.discardStagedBefore(now() - STAGED_IMPORT_TTL_MS),
      'abandoned staged imports removed',
      'staged import cleanup failed',
    );
  };
  return {
    start() {
      if (sweeper === undefined) {
        // Once at start (what a stopped server left behind), then periodically; unref'd: the
        // sweeper alone never keeps the process alive.
        sweep();
        sweeper = setInterval(sweep, SWEEP_MS).unref();
      }
      drainer?.start();
      announcer?.start();
    },
    async close() {
      clearInterval(sweeper);
      sweeper = undefined;
      await announcer?.stop();
      await drainer?.stop();
    },
  };
}
