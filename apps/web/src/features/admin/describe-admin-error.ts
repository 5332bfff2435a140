import { ERROR_MESSAGES } from '@catlist/contracts';
import { ApiError } from '../../lib/api-client';
import { formatWait } from '../../lib/format-wait';

const FALLBACK = 'Something went wrong. Please try again.';

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
      return ERROR_MESSAGES.invalid_password;
    case 'too_many_attempts':
      // Our own wording from Retry-After, so it always names a unit a person reads easily.
      return error.retryAfter === null
        ? ERROR_MESSAGES.too_many_attempts
        : `Too many failed attempts. Try again in ${formatWait(error.retryAfter)}.`;
    case 'admin_disabled':
      return 'The admin area is disabled on this server. Set ADMIN_PASSWORD to turn it on.';
    default:
      return error.message || FALLBACK;
  }
}

/** The sentence shown for any other failed admin call. */
export function describeAdminError(error: unknown): string {
  return error instanceof ApiError ? error.message || FALLBACK : FALLBACK;
}
