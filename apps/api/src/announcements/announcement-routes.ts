import {
  type Announcement,
  type AnnouncementSummary,
  checkEmail,
  contract,
  EMAIL_MESSAGES,
  type SiteResponse,
} from '@catlist/contracts';
import type Koa from 'koa';
import type * as z from 'zod/mini';
import type { MailSettings } from '../confirmation/mail-message.js';
import { mailTextsFor } from '../confirmation/mail-texts.js';
import type { MailTransport } from '../confirmation/mail-transport.js';
import { unsubscribeToken } from '../confirmation/unsubscribe-token.js';
import { ApiError } from '../http/api-error.js';
import type { BindRoute } from '../routes/bind-route.js';
import type { SigningKeys } from '../session/signing-keys.js';
import { composeAnnouncementMail, messageFor, renderMessage } from './announcement-mail.js';
import type {
  AnnouncementRecord,
  AnnouncementStore,
  StoredMessage,
  Transition,
} from './announcement-store.js';

/** What sending needs: present with MAIL_URL. */
export interface AnnouncementMailing {
  transport: MailTransport;
  keys: SigningKeys;
  settings: MailSettings;
  /** A send began or resumed: the sender looks now. */
  nudge: () => void;
}

export interface AnnouncementRoutesDeps {
  adminPassword: string | undefined;
  store: AnnouncementStore;
  site: Pick<SiteResponse, 'name' | 'languages' | 'defaultLanguage'>;
  /**
   * The site's name, accent and logo (absolute, at `origin`) as they are now: the owner may
   * change them at any time, and previews and test mails show them as a send would.
   */
  look: (origin: string) => Promise<Pick<MailSettings, 'siteName' | 'accent' | 'logoUrl'>>;
  /** PUBLIC_URL: where previews' links point without MAIL_URL (else the admin's origin). */
  publicUrl: string | undefined;
  /** Absent without MAIL_URL: drafts and previews work, test and send answer 503 mail_disabled. */
  mailing: AnnouncementMailing | undefined;
  now: () => number;
}

/**
 * The preview page's own policy: the mail's inline styles and <style>, images from the web, no
 * script, nothing else; framed by this site only (the admin page's preview frame).
 */
export const PREVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/**
 * The JSON body limit of a draft's text: 16 versions of the longest body fit in ASCII (the
 * contract's MAX_ANNOUNCEMENT_BODY); other routes keep 16 KiB.
 */
export const ANNOUNCEMENT_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** A preview's unsubscribe links name no address: they lead nowhere if followed. */
const SAMPLE_ADDRESS = 'reader@example.com';
const SAMPLE_TOKEN = 'preview';

const iso = (time: number) => new Date(time).toISOString();
const isoOrNull = (time: number | null) => (time === null ? null : iso(time));

function progressOf(record: AnnouncementRecord): z.output<typeof Announcement>['progress'] {
  const done = record.sent + record.failed + record.skipped;
  return {
    recipients: record.recipients,
    queueingDone: record.queueingDone,
    // A cancelled announcement's rest was dropped: nothing waits any more.
    waiting: record.status === 'cancelled' ? 0 : Math.max(0, record.recipients - done),
    sent: record.sent,
    failed: record.failed,
    skipped: record.skipped,
    unsubscribed: record.unsubscribed,
  };
}

export function announcementBody(record: AnnouncementRecord): z.output<typeof Announcement> {
  return {
    id: String(record.id),
    status: record.status,
    messages: record.messages,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    startedAt: isoOrNull(record.startedAt),
    finishedAt: isoOrNull(record.finishedAt),
    progress: progressOf(record),
  };
}

function summaryOf(record: AnnouncementRecord): z.output<typeof AnnouncementSummary> {
  return {
    id: String(record.id),
    status: record.status,
    subject: record.messages[0]?.subject ?? '',
    createdAt: iso(record.createdAt),
    startedAt: isoOrNull(record.startedAt),
    finishedAt: isoOrNull(record.finishedAt),
    progress: progressOf(record),
  };
}

/** The id in a path: an announcement's are whole numbers; anything else names none. */
function idOf(param: string): number {
  if (!/^[1-9]\d{0,14}$/.test(param)) throw new ApiError(404, 'announcement_not_found');
  return Number(param);
}

/** The record a state change made, or the error for what it found instead. */
function changed(result: Transition): AnnouncementRecord {
  if (result === 'absent') throw new ApiError(404, 'announcement_not_found');
  if (result === 'state') throw new ApiError(409, 'announcement_state');
  return result;
}

/**
 * The announcement routes (docs/http-api.md, Announcements): drafts, previews, a test mail, and
 * the send with its pause, resume and cancel. Admin only; `503 admin_disabled` without a password.
 */
export function announcementRoutes(
  bind: BindRoute,
  { adminPassword, store, site, look, publicUrl, mailing, now }: AnnouncementRoutesDeps,
): void {
  const enabled: Koa.Middleware = async function adminEnabled(_ctx, next) {
    if (adminPassword === undefined) throw new ApiError(503, 'admin_disabled');
    await next();
  };
  const use = [enabled];
  const mail = (): AnnouncementMailing => {
    if (!mailing) throw new ApiError(503, 'mail_disabled');
    return mailing;
  };

  /** The versions as given, checked against the site's languages. */
  function checked(messages: readonly StoredMessage[]): StoredMessage[] {
    const seen = new Set<string>();
    for (const { language } of messages) {
      if (!site.languages.includes(language)) {
        throw new ApiError(400, 'invalid_request', {
          message: `The site does not offer the language "${language}" (it offers ${site.languages.join(', ')}).`,
        });
      }
      if (seen.has(language)) {
        throw new ApiError(400, 'invalid_request', {
          message: `There are two versions in "${language}": keep one.`,
        });
      }
      seen.add(language);
    }
    return messages.map(({ language, subject, body }) => ({ language, subject, body }));
  }

  async function found(id: string): Promise<AnnouncementRecord> {
    const record = await store.get(idOf(id));
    if (!record) throw new ApiError(404, 'announcement_not_found');
    return record;
  }

  /** The mail the version in `lang` (the default version without) makes for `email`. */
  function mailOf(
    record: AnnouncementRecord,
    lang: string | undefined,
    email: string,
    token: string,
    settings: MailSettings,
  ) {
    const message =
      lang === undefined
        ? messageFor(record.messages, null)
        : record.messages.find((version) => version.language === lang);
    if (!message) {
      throw new ApiError(400, 'invalid_request', {
        message: `This announcement has no version in "${lang}".`,
      });
    }
    return composeAnnouncementMail(
      renderMessage(message),
      email,
      token,
      undefined,
      settings,
      mailTextsFor(message.language, site),
    );
  }

  /** Previews follow the site's mail settings, or, without MAIL_URL, its name alone. */
  const previewSettings = async (origin: string): Promise<MailSettings> => {
    const base = mailing?.settings ?? {
      from: '',
      publicUrl: publicUrl ?? origin,
      siteName: site.name,
    };
    return { ...base, ...(await look(base.publicUrl)) };
  };

  bind(contract.listAnnouncements, {
    use,
    async handler(_ctx, { query }) {
      const limit = query.limit ?? 20;
      const before = query.before === undefined ? undefined : idOf(query.before);
      const rows = await store.list(limit + 1, before);
      const items = rows.slice(0, limit);
      const last = rows.length > limit ? items[items.length - 1] : undefined;
      return {
        status: 200,
        body: { items: items.map(summaryOf), nextBefore: last ? String(last.id) : null },
      };
    },
  });

  bind(contract.createAnnouncement, {
    use,
    bodyLimitBytes: ANNOUNCEMENT_BODY_LIMIT_BYTES,
    async handler(_ctx, { body }) {
      const record = await store.create(checked(body.messages), now());
      return { status: 201, body: announcementBody(record) };
    },
  });

  bind(contract.getAnnouncement, {
    use,
    async handler(_ctx, { params }) {
      return { status: 200, body: announcementBody(await found(params.id)) };
    },
  });

  bind(contract.updateAnnouncement, {
    use,
    bodyLimitBytes: ANNOUNCEMENT_BODY_LIMIT_BYTES,
    async handler(_ctx, { params, body }) {
      const id = idOf(params.id);
      return {
        status: 200,
        body: announcementBody(changed(await store.update(id, checked(body.messages), now()))),
      };
    },
  });

  bind(contract.deleteAnnouncement, {
    use,
    async handler(_ctx, { params }) {
      const result = await store.remove(idOf(params.id));
      if (result === 'absent') throw new ApiError(404, 'announcement_not_found');
      if (result === 'state') throw new ApiError(409, 'announcement_state');
      return { status: 204 };
    },
  });

  /** The mail a sample recipient would get from the version in `lang` (the default without). */
  async function previewOf(ctx: Koa.Context, id: string, lang: string | undefined) {
    return mailOf(
      await found(id),
      lang,
      SAMPLE_ADDRESS,
      SAMPLE_TOKEN,
      await previewSettings(`${ctx.protocol}://${ctx.host}`),
    );
  }

  bind(contract.previewAnnouncement, {
    use,
    async handler(ctx, { params, query }) {
      const composed = await previewOf(ctx, params.id, query.lang);
      const language = composed.headers['Content-Language'] ?? '';
      return {
        status: 200,
        body: { language, subject: composed.subject, html: composed.html, text: composed.text },
      };
    },
  });

  bind(contract.previewAnnouncementPage, {
    use,
    async handler(ctx, { params, query }) {
      const composed = await previewOf(ctx, params.id, query.lang);
      // The API's headers say "never framed"; this page may be, by this site only.
      ctx.set('Content-Security-Policy', PREVIEW_CSP);
      ctx.set('X-Frame-Options', 'SAMEORIGIN');
      return { status: 200, body: composed.html };
    },
  });

  bind(contract.testAnnouncement, {
    use,
    async handler(_ctx, { params, query, body }) {
      const { transport, keys, settings } = mail();
      const record = await found(params.id);
      const address = checkEmail(body.email);
      if (!address.ok) {
        throw new ApiError(400, 'invalid_email', { message: EMAIL_MESSAGES[address.problem] });
      }
      const composed = mailOf(
        record,
        query.lang,
        address.email,
        unsubscribeToken(keys, address.email),
        { ...settings, ...(await look(settings.publicUrl)) },
      );
      try {
        await transport.send(composed);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ApiError(503, 'service_unavailable', {
          message: `The mail server did not take the test mail: ${reason.slice(0, 200)}`,
        });
      }
      return { status: 204 };
    },
  });

  bind(contract.sendAnnouncement, {
    use,
    async handler(_ctx, { params }) {
      const { nudge } = mail();
      const record = changed(await store.transition(idOf(params.id), ['draft'], 'sending', now()));
      nudge();
      return { status: 200, body: announcementBody(record) };
    },
  });

  bind(contract.pauseAnnouncement, {
    use,
    async handler(_ctx, { params }) {
      const record = changed(await store.transition(idOf(params.id), ['sending'], 'paused', now()));
      return { status: 200, body: announcementBody(record) };
    },
  });

  bind(contract.resumeAnnouncement, {
    use,
    async handler(_ctx, { params }) {
      const record = changed(await store.transition(idOf(params.id), ['paused'], 'sending', now()));
      mailing?.nudge();
      return { status: 200, body: announcementBody(record) };
    },
  });

  bind(contract.cancelAnnouncement, {
    use,
    async handler(_ctx, { params }) {
      const record = changed(
        await store.transition(idOf(params.id), ['sending', 'paused'], 'cancelled', now()),
      );
      return { status: 200, body: announcementBody(record) };
    },
  });
}
