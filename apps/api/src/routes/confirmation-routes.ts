import { checkEmail, contract } from '@catlist/contracts';
import type Koa from 'koa';
import type { ConfirmationStore } from '../confirmation/confirmation-store.js';
import { readUnsubscribeToken } from '../confirmation/unsubscribe-token.js';
import { ApiError } from '../http/api-error.js';
import type { SigningKeys } from '../session/signing-keys.js';
import { newOwnerToken } from '../stores/owner-token.js';
import type { BindRoute } from './bind-route.js';

export interface ConfirmationRoutesDeps {
  /** Absent when confirmation is off: the routes then answer `404 not_found`, and only that. */
  confirmations: ConfirmationStore | undefined;
  /** The session keys: they sign unsubscribe links (confirmation/unsubscribe-token.ts). */
  keys: SigningKeys;
  /** The rate limit of confirmations per client (as for signups). */
  confirmLimit: Koa.Middleware;
  /** Runs a route in one transaction with its session (http/in-one-transaction.ts). */
  oneTransaction: Koa.Middleware;
  now: () => number;
}

/**
 * The routes behind the links in mails (docs/http-api.md, Confirmation by email): confirm a
 * request, read and use an unsubscribe link. With confirmation off they answer `404 not_found`
 * before anything else, a cross-site POST included (a 403 there would be a status the contract
 * does not list, and would say the path is something).
 */
export function confirmationRoutes(
  bind: BindRoute,
  { confirmations: store, keys, confirmLimit, oneTransaction, now }: ConfirmationRoutesDeps,
): void {
  const off = store === undefined;
  // Only the handlers of routes that are on call it (the binder never runs an `off` handler).
  const confirmations = (): ConfirmationStore => {
    if (!store) throw new Error('confirmation routes reached with confirmation off');
    return store;
  };
  bind(contract.confirm, {
    off,
    session: true,
    // Rate limited like signup; the address joins and this browser's session owns it in one
    // commit.
    use: [confirmLimit, oneTransaction],
    async handler(ctx, { body: { token } }) {
      const session = ctx.session;
      if (!session) throw new Error('session middleware missing');
      // The browser that opened the link becomes the owner: with the token it asked with, when
      // it is the browser that asked, else with a new one (docs/http-api.md, Confirmation).
      const asked = session.decoy ? undefined : session.owner;
      const confirmed = await confirmations().confirm(
        token,
        { browserOwnerToken: asked, newOwnerToken: newOwnerToken() },
        now(),
        ctx.state.transaction,
      );
      if (confirmed === null) throw new ApiError(400, 'invalid_token');
      const { email, owner } = confirmed;
      // Opened before: the address is on the list, and this opening changes no session.
      if (owner === null) return { status: 200, body: { email, subscribed: true } };
      session.email = email;
      session.owner = owner;
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
    off,
    handler: (_ctx, { query }) => ({
      status: 200,
      body: { email: addressOf(query.token), subscribed: false },
    }),
  });

  // RFC 8058: a mail provider POSTs `List-Unsubscribe=One-Click` here from its own servers, with
  // no cookie and no Origin, as multipart/form-data (what the RFC says it SHOULD send) or as a
  // urlencoded form; the SPA page posts `{}`. So `oneClick`: no origin check, and the body is
  // never parsed (whatever it is, none included); only the address the signed token names leaves
  // the list.
  bind(contract.unsubscribe, {
    off,
    oneClick: true,
    async handler(_ctx, { query }) {
      const email = addressOf(query.token);
      // An announcement's link names it: this leaving counts for it (a malformed id for none).
      const announcement =
        query.announcement !== undefined && /^[1-9]\d{0,14}$/.test(query.announcement)
          ? Number(query.announcement)
          : undefined;
      await confirmations().unsubscribe(email, now(), announcement);
      return { status: 200, body: { email, subscribed: false } };
    },
  });
}
