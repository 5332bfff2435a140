import type { TextKey, Translate } from '@catlist/contracts';
import { ApiError, type ClientErrorCode } from '../../lib/api-client';
import { formatWait } from '../../lib/format-wait';

/** The visitor's words for what the client itself raised (no API answer to read). */
const CLIENT_TEXTS: Record<ClientErrorCode, TextKey> = {
  network_error: 'networkError',
  api_unreachable: 'apiUnreachable',
  invalid_response: 'invalidResponse',
};

/** "42 seconds", "1 minute" in the page's language. */
export const waitIn = (t: Translate) => (seconds: number) =>
  formatWait(seconds, (n, unit) => {
    const one = n === 1;
    const key = `wait${unit === 'second' ? 'Second' : unit === 'minute' ? 'Minute' : 'Hour'}${one ? 'One' : 'Other'}`;
    return t(key as TextKey, { n });
  });

/** The sentence shown to the visitor for a failed call, in the page's language (`t`). */
export function describeError(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('somethingWrong');
  if (error.code === 'too_many_requests' && error.retryAfter !== null) {
    return t('rateLimited', { wait: waitIn(t)(error.retryAfter) });
  }
  // The form has reset the widget by then, and solves a new challenge on the next try.
  if (error.code === 'challenge_failed') return t('challengeRefused');
  const client = CLIENT_TEXTS[error.code as ClientErrorCode];
  if (client !== undefined) return t(client);
  // The API's own message is in the visitor's language already (it negotiates the same way).
  return error.message || t('somethingWrong');
}
