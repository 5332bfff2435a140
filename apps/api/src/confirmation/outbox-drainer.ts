import { DEFAULT_LANGUAGE, SHIPPED_LANGUAGES, type SiteResponse } from '@catlist/contracts';
import type { Logger } from 'pino';
import type { SigningKeys } from '../session/signing-keys.js';
import type { SiteSource } from '../settings/live-site.js';
import { composeMail, type MailSettings } from './mail-message.js';
import type { MailOutbox, OutboxMail } from './mail-outbox.js';
import { mailTextsFor, withOwnTexts } from './mail-texts.js';
import { type MailTransport, refusedForGood } from './mail-transport.js';
import { unsubscribeToken } from './unsubscribe-token.js';

/** First retry after about this long (the contract: within 30 seconds), then doubling... */
export const RETRY_BASE_MS = 15_000;
/** ...to at most this long between tries. */
export const RETRY_MAX_MS = 10 * 60 * 1000;
/** How often the outbox is read when nobody said a mail was queued (other instances queue too). */
const POLL_MS = 5_000;
/**
 * How long a claimed mail stays this instance's before another may take it (a crash mid-send), in
 * first-retry delays: 2 minutes by default, well past the SMTP timeouts (mail-transport.ts).
 */
const LEASE_RETRIES = 8;
// Mails claimed together are sent at once, over the transport's pooled connections (as many as
// the batch), so a batch takes about as long as one send and its lease covers it.
const BATCH = 5;

export interface DrainerOptions {
  outbox: MailOutbox;
  transport: MailTransport;
  /** The session keys: unsubscribe links are signed with the newest. */
  keys: SigningKeys;
  settings: MailSettings;
  /** The site's logo as it is now (an absolute URL), for the mail's header; none: undefined. */
  logoUrl?: (() => Promise<string | undefined>) | undefined;
  /**
   * The languages the site enables now (SITE_LANGUAGES, SITE_DEFAULT_LANGUAGE): a mail goes in
   * its signup's language while that is one of them, else in the default. Every shipped language
   * and English unless given.
   */
  site?: Pick<SiteResponse, 'languages' | 'defaultLanguage'> | undefined;
  /**
   * The site's settings as they are when a mail is sent (settings/): its name, accent and the
   * owner's texts for the mail, over `settings` and `site`.
   */
  live?: SiteSource | undefined;
  logger: Logger;
  now?: () => number;
  /** The wait before the first retry (MAIL_RETRY_MS); the lease on a claimed mail follows it. */
  retryBaseMs?: number;
  /** Tests poll faster. */
  pollMs?: number;
}

/** The wait before try number `attempts + 1`: exponential, with jitter, capped. */
export function retryDelay(attempts: number, baseMs = RETRY_BASE_MS, maxMs = RETRY_MAX_MS) {
  const exponential = baseMs * 2 ** Math.min(attempts - 1, 30);
  // ±25 % so that mails held back by one outage do not all come back in the same second.
  return Math.min(maxMs, Math.round(exponential * (0.75 + Math.random() * 0.5)));
}

/**
 * Sends what the outbox holds, in the server process: reads it when told a mail was queued and
 * every few seconds, sends each mail once claimed, and on failure puts it back with a later time
 * (exponential backoff). Mails are never dropped but for a permanent refusal by the SMTP server.
 */
export class OutboxDrainer {
  readonly #options: DrainerOptions & Required<Pick<DrainerOptions, 'now'>>;
  #running: Promise<void> | null = null;
  #stopping = false;
  #nudged = false;
  #wake: (() => void) | null = null;

  constructor(options: DrainerOptions) {
    this.#options = { now: Date.now, ...options };
  }

  /** Starts draining in the background. */
  start(): void {
    this.#running ??= this.#loop();
  }

  /** A mail was queued: look now rather than at the next poll. */
  nudge = (): void => {
    this.#nudged = true;
    this.#wake?.();
  };

  /** Stops after the mail being sent (if any); what is left is sent by the next start. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
    this.#options.transport.close();
  }

  async #loop(): Promise<void> {
    const { outbox, logger, now } = this.#options;
    const leaseMs = (this.#options.retryBaseMs ?? RETRY_BASE_MS) * LEASE_RETRIES;
    while (!this.#stopping) {
      this.#nudged = false;
      let claimed: OutboxMail[] = [];
      try {
        const t = now();
        claimed = await outbox.claim(t, t + leaseMs, BATCH);
      } catch (error) {
        logger.error({ err: error }, 'reading the mail outbox failed; trying again shortly');
      }
      await Promise.all(claimed.map((mail) => this.#deliver(mail)));
      if (claimed.length < BATCH && !this.#nudged) await this.#sleep();
    }
  }

  async #deliver(mail: OutboxMail): Promise<void> {
    const { outbox, transport, keys, logger, now } = this.#options;
    try {
      const snapshot = await this.#options.live?.fresh();
      const site = snapshot?.site ??
        this.#options.site ?? { languages: SHIPPED_LANGUAGES, defaultLanguage: DEFAULT_LANGUAGE };
      let texts = mailTextsFor(mail.language, site);
      let settings: MailSettings = this.#options.settings;
      if (snapshot !== undefined) {
        texts = withOwnTexts(texts, snapshot.custom(texts.lang));
        settings = {
          ...settings,
          siteName: snapshot.site.name,
          accent: snapshot.palette?.light.accent ?? settings.accent,
        };
      }
      const logoUrl = (await this.#options.logoUrl?.()) ?? settings.logoUrl;
      await transport.send(
        composeMail(mail, unsubscribeToken(keys, mail.email), { ...settings, logoUrl }, texts),
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      try {
        if (refusedForGood(error)) {
          logger.warn({ mail: mail.id, err: reason }, 'SMTP server refused the mail for good');
          await outbox.giveUp(mail.id, now(), reason);
        } else {
          const delay = retryDelay(mail.attempts, this.#options.retryBaseMs);
          logger.warn(
            { mail: mail.id, attempts: mail.attempts, retryInMs: delay, err: reason },
            'sending a mail failed; it stays queued',
          );
          await outbox.retryLater(mail.id, now() + delay, reason);
        }
      } catch (storeError) {
        // The lease runs out and the mail is tried again: nothing is lost.
        logger.error({ err: storeError }, 'recording a failed mail failed');
      }
      return;
    }
    try {
      await outbox.sent(mail.id, now());
      logger.info({ mail: mail.id, kind: mail.kind }, 'mail sent');
    } catch (error) {
      // Sent but not recorded: it goes again after the lease (at least once, at most a duplicate).
      logger.error({ err: error, mail: mail.id }, 'recording a sent mail failed');
    }
  }

  #sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#options.pollMs ?? POLL_MS);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    });
  }
}
