import { checkEmail, contract, type SiteResponse } from '@catlist/contracts';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { SignupChallenge } from '../challenge/signup-challenge.js';
import {
  CONFIRMATION_VALID_MS,
  type ConfirmationStore,
} from '../confirmation/confirmation-store.js';
import type { DatabaseHandle } from '../db/open-database.js';
import type { Executor } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';
import { forgetSessionFields } from '../session/session-middleware.js';
import { newOwnerToken } from '../stores/owner-token.js';
import type { SubscriberStore } from '../stores/subscriber-store.js';
import type { BindRoute } from './bind-route.js';

/** Confirmation by email, when it is on (MAIL_URL set). */
export interface ConfirmationDeps {
  store: ConfirmationStore;
  /** A mail was queued: the outbox drainer should look now. */
  onQueued: () => void;
}

export interface PublicRoutesDeps {
  /** The site's branding and whether admin is on, as GET /api/site answers it. */
  site: SiteResponse;
  subscribers: SubscriberStore;
  /** Present when confirmation by email is on. */
  confirmation?: ConfirmationDeps | undefined;
  /** Present when the signup challenge is on (SIGNUP_CHALLENGE). */
  challenge?: SignupChallenge | undefined;
  database: Pick<DatabaseHandle, 'ping'>;
  signupLimit: Koa.Middleware;
  /** Runs a route in one transaction with its session (http/in-one-transaction.ts). */
  oneTransaction: Koa.Middleware;
  logger: Logger;
  now: () => number;
}

/** Adds the visitor-facing routes: site, session, signup, unregister, stats, health. */
export function publicRoutes(
  bind: BindRoute,
  {
    site,
    subscribers,
    confirmation,
    challenge,
    database,
    signupLimit,
    oneTransaction,
    logger,
    now,
  }: PublicRoutesDeps,
): void {
  // Fixed at start: the SPA reads it when the page it was served lacks it (dev, cross-origin).
  bind(contract.getSite, { handler: () => ({ status: 200, body: site }) });

  bind(contract.getSession, {
    session: true,
    async handler(ctx) {
      const session = ctx.session;
      const email = session?.email ?? null;
      if (confirmation) {
        // Subscribed only for an owner; anyone else who asked reads "pending", whether or not the
        // address is on the list (docs/http-api.md, Confirmation by email).
        const owner = session?.decoy ? undefined : session?.owner;
        const subscribed =
          email !== null && owner !== undefined && (await confirmation.store.owns(email, owner));
        if (subscribed && session?.pending !== undefined) {
          // Its request was confirmed: no longer pending, even once the address leaves the list.
          delete session.pending;
        }
        return {
          status: 200,
          body: {
            email,
            subscribed,
            admin: ctx.state.admin === true,
            pending: !subscribed && email !== null && (session?.pending ?? 0) > now(),
          },
        };
      }
      return {
        status: 200,
        body: {
          email,
          // A decoy (the honeypot) reads as subscribed, like the signup it imitates.
          subscribed: email !== null && (session?.decoy === true || (await subscribers.has(email))),
          admin: ctx.state.admin === true,
        },
      };
    },
  });

  bind(contract.signup, {
    session: true,
    use: [signupLimit, oneTransaction],
    async handler(ctx, { body: input }) {
      const checked = checkEmail(input.email);
      if (!checked.ok) throw new ApiError(400, 'invalid_email', { message: checked.message });
      const { email } = checked;
      const session = ctx.session;
      if (!session) throw new Error('session middleware missing');
      // The signup challenge (challenge/signup-challenge.ts), spent in this signup's transaction.
      if (challenge && !(await challenge.spend(input.altcha, ctx.state.transaction))) {
        throw new ApiError(400, 'challenge_failed');
      }
      // The honeypot filled in: nothing joins the list, but the bot must not be able to tell, so
      // the answer, the cookie and later session reads are those of a real signup.
      const caught = input.website !== undefined && input.website !== '';
      if (caught) {
        delete session.owner;
        session.decoy = true;
      } else {
        // Signing up the address this session already owns keeps its token; any other owner token
        // is new. Whether the session keeps it: see `offer`.
        const known = session.email === email && !session.decoy ? session.owner : undefined;
        const token = known ?? newOwnerToken();
        if (await offer(email, token, ctx.state.transaction)) session.owner = token;
        else delete session.owner;
        delete session.decoy;
      }
      session.email = email;
      if (confirmation) session.pending = now() + CONFIRMATION_VALID_MS;
      // A new session id: a cookie planted in this browser before the signup (session fixation)
      // can neither read nor remove what it signs up. A session made in this request is new already.
      if (!session.isNew) await session.regenerate();
      // The same answer in every case (new, known, caught, over the mail cap).
      return {
        status: 200,
        body: confirmation
          ? { email, subscribed: false, pending: true }
          : { email, subscribed: true },
      };
    },
  });

  /**
   * Puts `email` forward for the list on behalf of the session holding `token`, and says whether
   * the session keeps the token. Without confirmation the address joins at once, and the token
   * owns it only if this signup is what put it there. With confirmation a mail goes out (a link,
   * or "you are on the list already"), and the token becomes an owner when the link is opened.
   */
  async function offer(email: string, token: string, db?: Executor): Promise<boolean> {
    if (!confirmation) return subscribers.add(email, now(), token, 'signup', db);
    const kind = (await subscribers.has(email, db)) ? 'already-subscribed' : 'confirm';
    // Over the cap (3 mails a day per address) nothing is queued, and the visitor cannot tell.
    if (await confirmation.store.request(email, kind, token, now(), db)) confirmation.onQueued();
    return true;
  }

  bind(contract.unregister, {
    session: true,
    use: [oneTransaction],
    async handler(ctx) {
      const db = ctx.state.transaction;
      const session = ctx.session;
      const email = session?.email;
      if (!session || email === undefined) throw new ApiError(409, 'no_email_in_session');
      const { owner, decoy, pending } = session;
      forgetSessionFields(ctx, 'email', 'owner', 'decoy', 'pending');
      if (confirmation && pending !== undefined) {
        // A pending request is withdrawn (and the address removed, if this session owns it by now);
        // the answer is a removal either way, as it is for a request someone else's address got.
        if (owner !== undefined && !decoy) {
          await confirmation.store.cancel(email, owner, db);
          await subscribers.removeOwned(email, owner, db);
        }
        return { status: 200, body: { removed: email } };
      }
      // Only the owner removes; anyone else gets the same answer as a removal, and the address stays
      // (docs/http-api.md, Ownership). A decoy owns nothing either.
      // A stranger's removal runs the same query with a token that owns nothing, so the time the
      // answer takes does not tell an owner from a stranger either.
      const mine = owner !== undefined && !decoy;
      const result = await subscribers.removeOwned(email, mine ? owner : newOwnerToken(), db);
      if (mine && result === 'absent') throw new ApiError(404, 'not_on_list');
      return { status: 200, body: { removed: email } };
    },
  });

  bind(contract.getStats, {
    handler: async () => ({ status: 200, body: { subscribers: await subscribers.count() } }),
  });

  bind(contract.getHealth, {
    async handler() {
      try {
        await database.ping();
        return { status: 200, body: { status: 'ok' } };
      } catch (error) {
        logger.warn({ err: error }, 'health check failed');
        return { status: 503, body: { status: 'unavailable' } };
      }
    },
  });
}
