import { ApiError } from '../../lib/api-client';

const FALLBACK = 'Something went wrong. Please try again.';

/** "42 seconds", "3 minutes", "2 hours": rounded up, so the visitor never retries too early. */
export function formatWait(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 3600) return plural(Math.ceil(seconds / 60), 'minute');
  return plural(Math.ceil(seconds / 3600), 'hour');
}

/** The sentence shown to the visitor for a failed call. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return FALLBACK;
  if (error.code === 'too_many_requests' && error.retryAfter !== null) {
    return `Too many sign-ups from your network. Please try again in ${formatWait(error.retryAfter)}.`;
  }
  return error.message || FALLBACK;
}
