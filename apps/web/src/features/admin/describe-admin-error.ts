import { MAX_IMPORT_BYTES } from '@catlist/contracts';
import { ApiError, type ClientErrorCode } from '../../lib/api-client';
import { formatWait, type WaitUnit } from '../../lib/format-wait';

const FALLBACK = 'Something went wrong. Please try again.';

/** What the admin reads when the client itself raised the error (no API answer to read). */
const CLIENT_MESSAGES: Record<ClientErrorCode, string> = {
  network_error: "We couldn't reach the server. Check your connection and try again.",
  api_unreachable: 'The API is not reachable right now. Please try again in a moment.',
  invalid_response: 'The server sent an answer we did not understand. Please try again.',
};

/** The API's message, or the client's own words for its codes, or a generic sentence. */
const messageOf = (error: ApiError) =>
  error.message || CLIENT_MESSAGES[error.code as ClientErrorCode] || FALLBACK;

/** "1 minute", "3 hours": the admin area is in English for now. */
export const inEnglish = (n: number, unit: WaitUnit) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Shown on the login form after any admin call was refused for want of a session. */
export const SESSION_ENDED = 'Your admin session ended. Please log in again.';

/** True for the API's "not (or no longer) logged in as admin". */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** The sentence the login form shows for a failed login. */
export function describeLoginError(error: unknown): string {
  if (!(error instanceof ApiError)) return FALLBACK;
  switch (error.code) {
    case 'invalid_password':
      return 'That password is not right.';
    case 'too_many_attempts':
      // Our own wording from Retry-After, so it always names a unit a person reads easily.
      return error.retryAfter === null
        ? 'Too many failed attempts. Please wait and try again.'
        : `Too many failed attempts. Try again in ${formatWait(error.retryAfter, inEnglish)}.`;
    case 'admin_disabled':
      return 'The admin area is disabled on this server. Set ADMIN_PASSWORD to turn it on.';
    default:
      return messageOf(error);
  }
}

/** The sentence shown for any other failed admin call. */
export function describeAdminError(error: unknown): string {
  return error instanceof ApiError ? messageOf(error) : FALLBACK;
}

/** The import's own size limit, said before a file is sent and when catlist refuses one. */
export const IMPORT_TOO_LARGE = `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB. Please split it into smaller files.`;

/**
 * A 413 that is not catlist's own (no `payload_too_large` body: an HTML page from nginx, an empty
 * one from Caddy) comes from a proxy whose body limit is below catlist's: splitting the file is
 * not the fix, the proxy's setting is (docs/operations.md, TLS and a reverse proxy).
 */
export const PROXY_TOO_LARGE =
  'The server in front of catlist refused the file as too large: raise its body limit ' +
  '(nginx client_max_body_size, Caddy request_body max_size) to 10 MiB for /api/admin/imports, ' +
  'see docs/operations.md.';

/** The sentence shown for a failed import upload or confirm. */
export function describeImportError(error: unknown): string {
  if (error instanceof ApiError && error.status === 413) {
    return error.code === 'payload_too_large' ? IMPORT_TOO_LARGE : PROXY_TOO_LARGE;
  }
  return describeAdminError(error);
}
