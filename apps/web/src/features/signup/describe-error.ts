import { ApiError } from '../../lib/api-client';
import { formatWait } from '../../lib/format-wait';

const FALLBACK = 'Something went wrong. Please try again.';

/** The sentence shown to the visitor for a failed call. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return FALLBACK;
  if (error.code === 'too_many_requests' && error.retryAfter !== null) {
    return `Too many sign-ups from your network. Please try again in ${formatWait(error.retryAfter)}.`;
  }
  return error.message || FALLBACK;
}
