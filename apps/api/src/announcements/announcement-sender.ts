import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { SiteResponse } from '@catlist/contracts';
import type { Logger } from 'pino';
import type { MailSettings } from '../confirmation/mail-message.js';
import { mailTextsFor } from '../confirmation/mail-texts.js';
import {
  type MailTransport,
  refusedForGood,
  SMTP_CONNECTIONS,
} from '../confirmation/mail-transport.js';
import { RETRY_BASE_MS, retryDelay } from '../confirmation/outbox-drainer.js';
import { unsubscribeToken } from '../confirmation/unsubscribe-token.js';
import type { SigningKeys } from '../session/signing-keys.js';
import {
  composeAnnouncementMail,
  messageFor,
  type RenderedMessage,
  renderMessage,
} from './announcement-mail.js';
import type { AnnouncementMail, AnnouncementStore, AnnouncePace } from './announcement-store.js';

/** Recipients queued per transaction: short enough that signups never wait long behind one. */
export const QUEUE_BATCH = 1000;
/**
 * Mails claimed at once: a few per SMTP connection, so that a claim is worth its transaction
 * and its lease (a few sends per connection, each bounded by the SMTP timeouts) stays short.
 */
const CLAIM = SMTP_CONNECTIONS * 4;
/** Leases are as the confirmation outbox's (outbox-drainer.ts): 8 first-retry delays. */
const LEASE_RETRIES = 8;
const POLL_MS = 5_000;
/** The shortest lease on claimed announcement mails, whatever MAIL_RETRY_MS says. */
const MIN_LEASE_MS = 30_000;

export interface AnnouncementSenderOptions {
  store: AnnouncementStore;
  /** The pooled transport the confirmation drainer uses too (it closes it). */
  transport: MailTransport;
  keys: SigningKeys;
  settings: MailSettings;
  site: Pick<SiteResponse, 'languages' | 'defaultLanguage'>;
  pace: AnnouncePace;
  logger: Logger;
  now: () => number;
  retryBaseMs?: number | undefined;
  pollMs?: number | undefined;
}

/**
 * Sends announcements in the server process, beside the confirmation drainer: one loop queues
 * recipients in batches, another claims them at the site's pace and sends them over the shared
 * pooled transport with at most one send per connection, so a confirmation mail waits behind at
 * most one announcement mail per connection.
 *
 * A mail the SMTP server accepted is recorded (in groups, for fewer commits) before its sender
 * sends a second one after it: a crash repeats at most two mails per connection.
 */
export class AnnouncementSender {
  readonly #options: AnnouncementSenderOptions;
  readonly #messages = new Map<number, RenderedMessage[]>();
  #loops: Promise<void>[] = [];
  #stopping = false;
  readonly #wakers = new Set<() => void>();
  // Group commit of sent mails: those accepted while a write runs go in the next one.
  #accepted: { mail: AnnouncementMail; done: () => void }[] = [];
  #recording: Promise<void> | null = null;

  constructor(options: AnnouncementSenderOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#loops.length > 0) return;
    this.#loops = [this.#queueLoop(), this.#sendLoop()];
  }

  /** Something to do (a send began or resumed): look now rather than at the next poll. */
  nudge = (): void => {
    for (const wake of [...this.#wakers]) wake();
  };

  /** Stops after the mails being sent; what is left goes at the next start (here or elsewhere). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.nudge();
    await Promise.all(this.#loops);
    await this.#recording;
  }

  async #queueLoop(): Promise<void> {
    const { store, logger } = this.#options;
    while (!this.#stopping) {
      let queued = false;
      try {
        queued = await store.queueBatch(QUEUE_BATCH);
      } catch (error) {
        logger.error(
          { err: error },
          'queueing announcement recipients failed; trying again shortly',
        );
      }
      // Between batches the event loop serves requests; with nothing to queue, wait.
      if (queued) await yieldToRequests();
      else await this.#sleep(this.#options.pollMs ?? POLL_MS);
    }
  }

  async #sendLoop(): Promise<void> {
    const { store, logger, now, pace } = this.#options;
    // Never under MIN_LEASE_MS: a claim of CLAIM mails takes a few sends per connection, and a
    // lease that ran out mid-send would let another instance send them again.
    const leaseMs = Math.max(
      MIN_LEASE_MS,
      (this.#options.retryBaseMs ?? RETRY_BASE_MS) * LEASE_RETRIES,
    );
    const interval = pace.rate > 0 ? 1000 / pace.rate : 0;
    while (!this.#stopping) {
      let mails: AnnouncementMail[] = [];
      try {
        const t = now();
        mails = await store.claim(t, t + leaseMs, CLAIM, pace);
        if (mails.length === 0) await store.finishDone(now());
      } catch (error) {
        logger.error(
          { err: error },
          'reading the announcement outbox failed; trying again shortly',
        );
      }
      if (mails.length > 0) {
        await this.#sendAll(mails);
        continue;
      }
      // Nothing due: the pace's next slot (or the hour's cap) is ahead, or nothing is sending.
      const paced = interval > 0 || pace.hourlyCap !== undefined;
      await this.#sleep(
        paced
          ? Math.min(this.#options.pollMs ?? POLL_MS, Math.max(50, interval || 1000))
          : (this.#options.pollMs ?? POLL_MS),
      );
    }
  }

  /** Sends `mails` over at most SMTP_CONNECTIONS at once. */
  async #sendAll(mails: AnnouncementMail[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      let recording: Promise<void> | undefined;
      while (next < mails.length) {
        const mail = mails[next++];
        if (!mail) break;
        const accepted = await this.#deliver(mail);
        // The previous accepted mail is recorded before this one's record is asked for.
        await recording;
        recording = accepted ? this.#record(mail) : undefined;
      }
      await recording;
    };
    await Promise.all(Array.from({ length: Math.min(SMTP_CONNECTIONS, mails.length) }, worker));
  }

  /** Sends one mail; true when the SMTP server accepted it. */
  async #deliver(mail: AnnouncementMail): Promise<boolean> {
    const { store, transport, keys, settings, site, logger, now } = this.#options;
    try {
      const messages = await this.#messagesOf(mail.announcementId);
      const message = messageFor(messages, mail.language);
      const texts = mailTextsFor(message.language, site);
      await transport.send(
        composeAnnouncementMail(
          message,
          mail.email,
          unsubscribeToken(keys, mail.email),
          mail.announcementId,
          settings,
          texts,
        ),
      );
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      try {
        if (refusedForGood(error)) {
          logger.warn(
            { announcement: mail.announcementId, err: reason },
            'SMTP server refused an announcement mail for good',
          );
          await store.giveUp(mail, reason);
        } else {
          const delay = retryDelay(mail.attempts, this.#options.retryBaseMs);
          logger.warn(
            {
              announcement: mail.announcementId,
              attempts: mail.attempts,
              retryInMs: delay,
              err: reason,
            },
            'sending an announcement mail failed; it stays queued',
          );
          await store.retryLater(mail, now() + delay, reason);
        }
      } catch (storeError) {
        // The lease runs out and the mail is tried again: nothing is lost.
        logger.error({ err: storeError }, 'recording a failed announcement mail failed');
      }
      return false;
    }
  }

  /** Records `mail` as sent, with the others accepted meanwhile, in one transaction. */
  #record(mail: AnnouncementMail): Promise<void> {
    return new Promise((done) => {
      this.#accepted.push({ mail, done });
      this.#recording ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    const { store, logger } = this.#options;
    while (this.#accepted.length > 0) {
      const group = this.#accepted;
      this.#accepted = [];
      try {
        await store.sent(group.map((entry) => entry.mail));
      } catch (error) {
        // Sent but not recorded: they go again after the lease (at most a duplicate each).
        logger.error(
          { err: error, mails: group.length },
          'recording sent announcement mails failed',
        );
      }
      for (const entry of group) entry.done();
    }
    this.#recording = null;
  }

  /** An announcement's versions, rendered once (they no longer change once sending). */
  async #messagesOf(id: number): Promise<RenderedMessage[]> {
    const cached = this.#messages.get(id);
    if (cached) return cached;
    const announcement = await this.#options.store.get(id);
    if (!announcement) throw new Error(`announcement ${id} is gone`);
    const rendered = announcement.messages.map(renderMessage);
    if (this.#messages.size > 100) this.#messages.clear();
    this.#messages.set(id, rendered);
    return rendered;
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.#wakers.add(done);
    });
  }
}
