import {
  adminEndpoints,
  type Contract,
  logoEndpoints,
  settingsEndpoints,
  textsEndpoints,
} from '@catlist/contracts';
import { type Body, endpointUrl, type Query } from '../../lib/api-client';
import { call } from '../../lib/call';

/** An import sends and stages a whole file, or commits one: allow it much longer. */
const IMPORT_TIMEOUT_MS = 5 * 60_000;

/**
 * The admin page's calls, kept with it (not in lib/api-client) so that the admin endpoints and
 * schemas load with the page. Every method rejects with `ApiError`.
 */
export const adminApi = {
  adminLogin: (body: Body<Contract['adminLogin']>) => call(adminEndpoints.adminLogin, { body }),
  adminLogout: () => call(adminEndpoints.adminLogout),
  listSubscribers: (query: Query<Contract['listSubscribers']>, signal?: AbortSignal) =>
    call(adminEndpoints.listSubscribers, { query, signal }),
  /** Where a form on another site posts to, and which sites may embed the signup page. */
  getEmbedSettings: (signal?: AbortSignal) => call(adminEndpoints.getEmbedSettings, { signal }),
  addSubscriber: (email: string, includeSuppressed = false, confirm = false) =>
    call(adminEndpoints.addSubscriber, {
      body: {
        email,
        ...(includeSuppressed ? { includeSuppressed } : {}),
        ...(confirm ? { confirm } : {}),
      },
    }),
  deleteSubscribers: (emails: string[], complaint: boolean) =>
    call(adminEndpoints.deleteSubscribers, {
      body: { emails, ...(complaint ? { complaint } : {}) },
    }),
  listSuppressions: (signal?: AbortSignal) => call(adminEndpoints.listSuppressions, { signal }),
  liftSuppression: (email: string) => call(adminEndpoints.liftSuppression, { params: { email } }),
  getGrowth: (signal?: AbortSignal) => call(adminEndpoints.getGrowth, { signal }),
  deleteSubscriber: (email: string, complaint = false) =>
    call(adminEndpoints.deleteSubscriber, {
      params: { email },
      ...(complaint ? { query: { as: 'complaint' as const } } : {}),
    }),
  /** Sends a CSV file to be checked and staged; nothing is imported until `confirmImport`. */
  previewImport: (file: Blob, signal?: AbortSignal) =>
    call(adminEndpoints.previewImport, { upload: file, signal, timeoutMs: IMPORT_TIMEOUT_MS }),
  confirmImport: (id: string, includeSuppressed = false) =>
    call(adminEndpoints.confirmImport, {
      params: { id },
      ...(includeSuppressed ? { body: { includeSuppressed } } : {}),
      timeoutMs: IMPORT_TIMEOUT_MS,
    }),
  discardImport: (id: string) => call(adminEndpoints.discardImport, { params: { id } }),
  /** The site's settings as stored, what applies where they are unset, and the languages. */
  getSettings: (signal?: AbortSignal) => call(settingsEndpoints.getSettings, { signal }),
  saveSettings: (body: Body<Contract['saveSettings']>) =>
    call(settingsEndpoints.saveSettings, { body }),
  /** One language's texts as visitors get them: what a text the owner leaves empty shows. */
  getTexts: (lang: string, signal?: AbortSignal) =>
    call(textsEndpoints.getTexts, { query: { lang }, signal }),
  /** Sends the image as it is, with its own type (the endpoint takes any image/*; bytes decide). */
  uploadLogo: (file: File) =>
    call(
      // The entry's `upload` is the range `image/*`; what goes in Content-Type is the file's own.
      {
        ...logoEndpoints.uploadLogo,
        upload: file.type || 'application/octet-stream',
      } as typeof logoEndpoints.uploadLogo,
      { upload: file },
    ),
  deleteLogo: () => call(logoEndpoints.deleteLogo),
  /** Where the browser downloads the CSV export (a link, not a fetch: it can be large). */
  subscribersCsvUrl: () => endpointUrl(adminEndpoints.exportSubscribers),
};
