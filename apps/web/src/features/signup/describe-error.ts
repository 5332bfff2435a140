import { ApiError } from '../../lib/api-client';
import { formatWait } from '../../lib/format-wait';

const FALLBACK = 'Something went wrong. Please try again.';

/** The sentence shown to the visitor for a failed call. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return FALLBACK;
  if (error.code === 'too_many_requests' && error.retryAfter !== null) {
    return `Too many sign-ups from your network. Please try again in ${formatWait(error.retryAfter)}.`;
  }
  // The form has reset the widget by then, and solves a new challenge on the next try.
  if (error.code === 'challenge_failed') {
    return 'The anti-spam check did not go through. Please try again.';
  }
  return error.message || FALLBACK;
}
