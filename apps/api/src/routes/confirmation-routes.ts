import { checkEmail, contract } from '@catlist/contracts';
import type Koa from 'koa';
import type { ConfirmationStore } from '../confirmation/confirmation-store.js';
import { readUnsubscribeToken } from '../confirmation/unsubscribe-token.js';
import { ApiError } from '../http/api-error.js';
import type { SigningKeys } from '../session/signing-keys.js';
import { newOwnerToken } from '../stores/owner-token.js';
import type { BindRoute } from './bind-route.js';

export interface ConfirmationRoutesDeps {
  confirmations: ConfirmationStore;
  /** The session keys: they sign unsubscribe links (confirmation/unsubscribe-token.ts). */
  keys: SigningKeys;
  /** Runs a route in one transaction with its session (http/in-one-transaction.ts). */
  oneTransaction: Koa.Middleware;
  now: () => number;
}

/**
 * The routes behind the links in mails (docs/http-api.md, Confirmation by email): confirm a
 * request, read and use an unsubscribe link. Only added when confirmation is on.
 */
export function confirmationRoutes(
  bind: BindRoute,
  { confirmations, keys, oneTransaction, now }: ConfirmationRoutesDeps,
): void {
  bind(contract.confirm, {
    session: true,
    // The address joins, and this browser's session owns it, in one commit.
    use: [oneTransaction],
    async handler(ctx, { body: { token } }) {
      const session = ctx.session;
      if (!session) throw new Error('session middleware missing');
      // The browser that opened the link becomes an owner with a token of its own (the one that
      // asked, if it is this browser, owns the address through its request as well).
      const browserToken = newOwnerToken();
      const email = await confirmations.confirm(token, browserToken, now(), ctx.state.transaction);
      if (email === null) throw new ApiError(400, 'invalid_token');
      session.email = email;
      session.owner = browserToken;
      delete session.pending;
      delete session.decoy;
      // A new session id, as at signup: a planted cookie learns nothing of the address.
      if (!session.isNew) await session.regenerate();
      return { status: 200, body: { email, subscribed: true } };
    },
  });

  const addressOf = (token: string): string => {
    const email = readUnsubscribeToken(keys, token);
    if (email === null) throw new ApiError(400, 'invalid_token');
    // A link mailed before migration 0009 names the spelling stored then (`v@ｅxample.com`), the
    // same mailbox the list now holds under its ASCII domain; the signature vouches for that
    // mailbox. A legacy spelling that today's rules refuse is kept as signed: it is stored so.
    const check = checkEmail(email);
    return check.ok ? check.email : email;
  };

  // Only names the address: the page asks before anything changes (link scanners GET links).
  bind(contract.readUnsubscribe, {
    handler: (_ctx, { query }) => ({
      status: 200,
      body: { email: addressOf(query.token), subscribed: false },
    }),
  });

  // RFC 8058: a mail provider POSTs `List-Unsubscribe=One-Click` here from its own servers, with
  // no cookie and no Origin (so `oneClick`: no origin check, and a form body is read). The SPA
  // page posts `{}`. Either way only the address the signed token names leaves the list.
  bind(contract.unsubscribe, {
    oneClick: true,
    async handler(_ctx, { query }) {
      const email = addressOf(query.token);
      await confirmations.unsubscribe(email);
      return { status: 200, body: { email, subscribed: false } };
    },
  });
}
