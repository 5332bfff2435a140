import { type ConfirmResponse, contract, type UnsubscribeResponse } from '@catlist/contracts';
import type Router from '@koa/router';
import type { ConfirmationStore } from '../confirmation/confirmation-store.js';
import { readUnsubscribeToken } from '../confirmation/unsubscribe-token.js';
import { ApiError } from '../http/api-error.js';
import { validate } from '../http/validate.js';
import type { SigningKeys } from '../session/signing-keys.js';
import { newOwnerToken } from '../stores/owner-token.js';

export interface ConfirmationRoutesDeps {
  confirmations: ConfirmationStore;
  /** The session keys: they sign unsubscribe links (confirmation/unsubscribe-token.ts). */
  keys: SigningKeys;
  now: () => number;
}

/**
 * The routes behind the links in mails (docs/http-api.md, Confirmation by email): confirm a
 * request, read and use an unsubscribe link. Only added when confirmation is on.
 */
export function confirmationRoutes(
  router: Router,
  { confirmations, keys, now }: ConfirmationRoutesDeps,
): void {
  router.post(contract.confirm.path, async (ctx) => {
    const { token } = validate(contract.confirm.body, ctx.request.body);
    const session = ctx.session;
    if (!session) throw new Error('session middleware missing');
    // The browser that opened the link becomes an owner with a token of its own (the one that
    // asked, if it is this browser, owns the address through its request as well).
    const browserToken = newOwnerToken();
    const email = await confirmations.confirm(token, browserToken, now());
    if (email === null) throw new ApiError(400, 'invalid_token');
    session.email = email;
    session.owner = browserToken;
    delete session.pending;
    delete session.decoy;
    // A new session id, as at signup: a planted cookie learns nothing of the address.
    if (!session.isNew) await session.regenerate();
    const body: ConfirmResponse = { email, subscribed: true };
    ctx.body = body;
  });

  const addressOf = (query: unknown): string => {
    const { token } = validate(contract.unsubscribe.query, query);
    const email = readUnsubscribeToken(keys, token);
    if (email === null) throw new ApiError(400, 'invalid_token');
    return email;
  };

  router.get(contract.readUnsubscribe.path, async (ctx) => {
    const body: UnsubscribeResponse = { email: addressOf(ctx.query), subscribed: false };
    // Only names the address: the page asks before anything changes (link scanners GET links).
    ctx.body = body;
  });

  // RFC 8058: a mail provider POSTs `List-Unsubscribe=One-Click` here from its own servers, with
  // no cookie and no Origin (the origin check lets this path through, app.ts). The SPA page posts
  // `{}`. Either way only the address the signed token names leaves the list.
  router.post(contract.unsubscribe.path, async (ctx) => {
    const email = addressOf(ctx.query);
    await confirmations.unsubscribe(email);
    const body: UnsubscribeResponse = { email, subscribed: false };
    ctx.body = body;
  });
}
