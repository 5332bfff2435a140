import { ApiError } from '../../lib/api-client';

/** The `token` of the current page's query (the links in mails carry one); null without one. */
export function linkToken(search = window.location.search): string | null {
  return new URLSearchParams(search).get('token') || null;
}

/** Whether the API said the link's token is no good (unknown, expired, forged or malformed). */
export const isBadLink = (error: unknown) =>
  error instanceof ApiError && (error.code === 'invalid_token' || error.code === 'invalid_request');

/** The sentence shown for a failed call, in the page's language (as on the signup page). */
export { describeError as describeFailure } from '../signup/describe-error';
