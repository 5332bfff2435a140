import * as z from 'zod/mini';
import { adminText } from './admin-endpoints.js';
import {
  type Endpoint,
  ForbiddenOrigin,
  PayloadTooLarge,
  queryInteger,
  UnsupportedMediaType,
} from './endpoint.js';
import { errorBody } from './errors.js';

// Announcements: the admin writes to the list (docs/http-api.md, "Announcements"). A draft is
// written, previewed as the mail, tried on one address, then sent through the outbox at the
// configured pace; the admin page follows its progress and can pause, resume or cancel it.

/** Longest subject, in characters. */
export const MAX_ANNOUNCEMENT_SUBJECT = 200;
/** Longest Markdown body, in characters (about 30 printed pages). */
export const MAX_ANNOUNCEMENT_BODY = 100_000;

/**
 * Where an announcement is: `draft` (editable, nothing sent), `sending` (recipients are being
 * queued and mailed), `paused` (nothing more leaves until resumed), `sent` (every recipient was
 * mailed, failed for good or skipped), `cancelled` (stopped; what had left stays sent).
 */
export const ANNOUNCEMENT_STATUSES = ['draft', 'sending', 'paused', 'sent', 'cancelled'] as const;
export const AnnouncementStatus = z.enum(ANNOUNCEMENT_STATUSES);

/**
 * One language's version of the message. A recipient gets the version in the language they
 * signed up in, or the first version when the announcement has none in theirs.
 */
export const AnnouncementMessage = z.object({
  /** A language the site ships (`en`, `de`, ...). */
  language: adminText(16),
  subject: adminText(MAX_ANNOUNCEMENT_SUBJECT).check(z.minLength(1)),
  /** Markdown; raw HTML in it is shown as text, never run. */
  body: z.string().check(z.minLength(1), z.maxLength(MAX_ANNOUNCEMENT_BODY)),
});

/** POST /api/admin/announcements and POST /api/admin/announcements/:id (a draft's new text). */
export const AnnouncementDraft = z.object({
  /** One version per language, the first the default; no language twice. */
  messages: z.array(AnnouncementMessage).check(z.minLength(1), z.maxLength(16)),
});

/** How far a send has come; all zero for a draft. */
export const AnnouncementProgress = z.object({
  /** Recipients queued so far (every confirmed subscriber once queueing is done). */
  recipients: z.number(),
  /** Whether every recipient has been queued (queueing runs in batches in the background). */
  queueingDone: z.boolean(),
  /** Queued and not yet sent, failed or skipped. */
  waiting: z.number(),
  sent: z.number(),
  /** Given up after the outbox's retries. */
  failed: z.number(),
  /** Left the list (or were suppressed) between queueing and their turn: not mailed. */
  skipped: z.number(),
  /** Recipients who unsubscribed through this announcement's link since it went out. */
  unsubscribed: z.number(),
});

export const Announcement = z.object({
  id: z.string(),
  status: AnnouncementStatus,
  messages: z.array(AnnouncementMessage),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When the send began; null for a draft. */
  startedAt: z.nullable(z.string()),
  /** When it became `sent` or `cancelled`; null before. */
  finishedAt: z.nullable(z.string()),
  progress: AnnouncementProgress,
});

/** A row of the history: the default version's subject stands for the announcement. */
export const AnnouncementSummary = z.object({
  id: z.string(),
  status: AnnouncementStatus,
  subject: z.string(),
  createdAt: z.string(),
  startedAt: z.nullable(z.string()),
  finishedAt: z.nullable(z.string()),
  progress: AnnouncementProgress,
});

export const AnnouncementsQuery = z.object({
  limit: z.optional(queryInteger(1, 100)),
  /** The `id` of the last announcement of the previous page (newest first). */
  before: z.optional(adminText(64)),
});

export const AnnouncementsPage = z.object({
  items: z.array(AnnouncementSummary),
  /** Pass as `before` for the next page; null on the last. */
  nextBefore: z.nullable(z.string()),
});

export const AnnouncementParams = z.object({ id: adminText(64) });

/** `?lang=`: which version to preview; the default version when absent. */
export const AnnouncementPreviewQuery = z.object({ lang: z.optional(adminText(16)) });

/** The mail one recipient would get, with a sample unsubscribe link. */
export const AnnouncementPreview = z.object({
  language: z.string(),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
});

/** POST /api/admin/announcements/:id/test: the mail goes to this one address now, unpaced. */
export const AnnouncementTestBody = z.object({ email: adminText(1024) });

/** The state-changing answers every send action can give besides its own. */
const sendActionErrors = {
  401: errorBody('unauthorized'),
  403: ForbiddenOrigin,
  404: errorBody('announcement_not_found'),
  /** The announcement is not in a state this action applies to (e.g. pausing a draft). */
  409: errorBody('announcement_state'),
  413: PayloadTooLarge,
  415: UnsupportedMediaType,
  /** Sending needs MAIL_URL; without it announcements can be written but not sent. */
  503: errorBody('admin_disabled', 'mail_disabled', 'service_unavailable'),
} as const;

/** A send action: POST /api/admin/announcements/:id/<action>, no body, the announcement back. */
const sendAction = (action: 'send' | 'pause' | 'resume' | 'cancel') =>
  ({
    method: 'POST',
    path: `/api/admin/announcements/:id/${action}`,
    admin: true,
    params: AnnouncementParams,
    responses: {
      200: Announcement,
      400: errorBody('invalid_json', 'invalid_request'),
      ...sendActionErrors,
    },
  }) as const satisfies Endpoint;

/** The admin's announcements (`contract` holds them with the rest). */
export const announcementEndpoints = {
  /** Past and present announcements, newest first, with their counts. */
  listAnnouncements: {
    method: 'GET',
    path: '/api/admin/announcements',
    admin: true,
    query: AnnouncementsQuery,
    responses: {
      200: AnnouncementsPage,
      400: errorBody('invalid_request'),
      401: errorBody('unauthorized'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** A new draft. */
  createAnnouncement: {
    method: 'POST',
    path: '/api/admin/announcements',
    admin: true,
    body: AnnouncementDraft,
    responses: {
      201: Announcement,
      400: errorBody('invalid_json', 'invalid_request'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      413: PayloadTooLarge,
      415: UnsupportedMediaType,
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  getAnnouncement: {
    method: 'GET',
    path: '/api/admin/announcements/:id',
    admin: true,
    params: AnnouncementParams,
    responses: {
      200: Announcement,
      400: errorBody('invalid_request'),
      401: errorBody('unauthorized'),
      404: errorBody('announcement_not_found'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** A draft's new text (409 once it is sending or done: what went out stays as it was). */
  updateAnnouncement: {
    method: 'POST',
    path: '/api/admin/announcements/:id',
    admin: true,
    params: AnnouncementParams,
    body: AnnouncementDraft,
    responses: {
      200: Announcement,
      400: errorBody('invalid_json', 'invalid_request'),
      ...sendActionErrors,
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** Throws a draft away (409 for one that was sent: the history keeps it). */
  deleteAnnouncement: {
    method: 'DELETE',
    path: '/api/admin/announcements/:id',
    admin: true,
    params: AnnouncementParams,
    responses: {
      204: null,
      400: errorBody('invalid_request'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      404: errorBody('announcement_not_found'),
      409: errorBody('announcement_state'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** The mail as a recipient gets it, subject, HTML and text, for one language's version. */
  previewAnnouncement: {
    method: 'GET',
    path: '/api/admin/announcements/:id/preview',
    admin: true,
    params: AnnouncementParams,
    query: AnnouncementPreviewQuery,
    responses: {
      200: AnnouncementPreview,
      400: errorBody('invalid_request'),
      401: errorBody('unauthorized'),
      404: errorBody('announcement_not_found'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /**
   * The same HTML as a page of its own, for the admin page's preview frame: its own CSP (the
   * mail's inline styles, no script), framed by this site only.
   */
  previewAnnouncementPage: {
    method: 'GET',
    path: '/api/admin/announcements/:id/preview.html',
    admin: true,
    produces: 'text/html',
    params: AnnouncementParams,
    query: AnnouncementPreviewQuery,
    responses: {
      200: null,
      400: errorBody('invalid_request'),
      401: errorBody('unauthorized'),
      404: errorBody('announcement_not_found'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** Sends the default version (or `?lang=`'s) to one address now, whatever its state; 204 once the SMTP server took it. */
  testAnnouncement: {
    method: 'POST',
    path: '/api/admin/announcements/:id/test',
    admin: true,
    params: AnnouncementParams,
    query: AnnouncementPreviewQuery,
    body: AnnouncementTestBody,
    responses: {
      /** The SMTP server took it (a 202 would carry Koa's "Accepted" text). */
      204: null,
      400: errorBody('invalid_json', 'invalid_request', 'invalid_email'),
      ...sendActionErrors,
      409: errorBody('announcement_state'),
    },
  },
  /** Starts sending a draft to every confirmed subscriber (all, with confirmation off). */
  sendAnnouncement: sendAction('send'),
  pauseAnnouncement: sendAction('pause'),
  resumeAnnouncement: sendAction('resume'),
  cancelAnnouncement: sendAction('cancel'),
} as const satisfies Record<string, Endpoint>;
