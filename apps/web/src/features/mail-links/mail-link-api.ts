import { mailLinkEndpoints } from '@catlist/contracts';
import { call } from '../../lib/api-client';

/**
 * The calls of the pages behind the links in mails, kept with them (not in lib/api-client) so
 * that their endpoints and schemas load with those pages. Every method rejects with `ApiError`.
 */
export const mailLinkApi = {
  /** Confirmation by email: the token from a confirmation link. */
  confirm: (token: string) => call(mailLinkEndpoints.confirm, { body: { token } }),
  /** The address an unsubscribe link names (nothing changes). */
  readUnsubscribe: (token: string, signal?: AbortSignal) =>
    call(mailLinkEndpoints.readUnsubscribe, { query: { token }, signal }),
  /** Takes the address off; `announcement`: the announcement whose mail held the link. */
  unsubscribe: (token: string, announcement?: string) =>
    call(mailLinkEndpoints.unsubscribe, {
      query: announcement ? { token, announcement } : { token },
    }),
};
