import { adminEndpoints, announcementEndpoints, type Contract } from '@catlist/contracts';
import { type Body, endpointUrl } from '../../lib/api-client';
import { call } from '../../lib/call';

type Draft = Body<Contract['createAnnouncement']>;

/** `?lang=` for one version, none for the default one. */
const langQuery = (language?: string) =>
  language === undefined ? {} : { query: { lang: language } };

/**
 * The announcement calls of the admin page, kept with the panel (not in lib/api-client) so that
 * their endpoints and schemas load with the admin page only. Every method rejects with `ApiError`.
 */
export const announcementApi = {
  list: (before: string | undefined, signal?: AbortSignal) =>
    call(announcementEndpoints.listAnnouncements, {
      query: before === undefined ? {} : { before },
      signal,
    }),
  get: (id: string, signal?: AbortSignal) =>
    call(announcementEndpoints.getAnnouncement, { params: { id }, signal }),
  create: (draft: Draft) => call(announcementEndpoints.createAnnouncement, { body: draft }),
  update: (id: string, draft: Draft) =>
    call(announcementEndpoints.updateAnnouncement, { params: { id }, body: draft }),
  remove: (id: string) => call(announcementEndpoints.deleteAnnouncement, { params: { id } }),
  preview: (id: string, language?: string, signal?: AbortSignal) =>
    call(announcementEndpoints.previewAnnouncement, {
      params: { id },
      ...langQuery(language),
      signal,
    }),
  /** The mail as a page of its own, for the preview frame. */
  previewPageUrl: (id: string, language?: string) =>
    endpointUrl(announcementEndpoints.previewAnnouncementPage, {
      params: { id },
      ...langQuery(language),
    }),
  test: (id: string, email: string, language?: string) =>
    call(announcementEndpoints.testAnnouncement, {
      params: { id },
      ...langQuery(language),
      body: { email },
    }),
  send: (id: string) => call(announcementEndpoints.sendAnnouncement, { params: { id } }),
  pause: (id: string) => call(announcementEndpoints.pauseAnnouncement, { params: { id } }),
  resume: (id: string) => call(announcementEndpoints.resumeAnnouncement, { params: { id } }),
  cancel: (id: string) => call(announcementEndpoints.cancelAnnouncement, { params: { id } }),
  /**
   * How many an announcement sent now would reach: every confirmed subscriber, or everyone on
   * the list when confirmation by email is off (then the list has no `pending` and no row has
   * confirmedAt, so the status filter would count none).
   */
  async recipientCount(signal?: AbortSignal): Promise<number> {
    const all = await call(adminEndpoints.listSubscribers, { query: { limit: 1 }, signal });
    if (all.pending === undefined) return all.total;
    const confirmed = await call(adminEndpoints.listSubscribers, {
      query: { limit: 1, status: 'confirmed' },
      signal,
    });
    return confirmed.total;
  },
};
