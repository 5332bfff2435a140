import { contract } from '@catlist/contracts';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/open-database.js';
import { ApiError } from '../http/api-error.js';
import { requestLanguage } from '../http/language.js';
import { forgetSessionFields } from '../session/session-middleware.js';
import type { SiteSource } from '../settings/live-site.js';
import type { ConfirmationDeps, SignUp } from '../signup/sign-up.js';
import { newOwnerToken } from '../stores/owner-token.js';
import type { SubscriberStore } from '../stores/subscriber-store.js';
import type { BindRoute } from './bind-route.js';

export interface PublicRoutesDeps {
  /** The site's branding and whether admin is on, as its settings are now (settings/). */
  live: SiteSource;
  /** The logo's URL path now (the admin uploads it while the server runs), or null. */
  logoUrl: () => Promise<string | null>;
  subscribers: SubscriberStore;
  /** Present when confirmation by email is on. */
  confirmation?: ConfirmationDeps | undefined;
  database: Pick<DatabaseHandle, 'ping'>;
  /** The signup (signup/sign-up.ts), which POST /subscribe runs too. */
  signUp: SignUp;
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
    live,
    logoUrl,
    subscribers,
    confirmation,
    database,
    signUp,
    signupLimit,
    oneTransaction,
    logger,
    now,
  }: PublicRoutesDeps,
): void {
  // The SPA reads it when the page it was served lacks it (dev, cross-origin), and the admin's
  // settings panel after a save.
  bind(contract.getSite, {
    handler: async () => ({
      status: 200,
      body: { ...(await live.fresh()).site, logoUrl: await logoUrl() },
    }),
  });

  // One language's texts: for the language chooser, and for a page served without them.
  bind(contract.getTexts, {
    async handler(ctx, { query }) {
      const snapshot = await live.fresh();
      const { lang, catalog } = snapshot.texts(requestLanguage(ctx, snapshot.site, query.lang));
      ctx.vary('Accept-Language');
      return { status: 200, body: { lang, texts: catalog } };
    },
  });

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
    async handler(ctx, { body }) {
      const { email, pending } = await signUp(ctx, body);
      // The same answer in every case (new, known, caught, over the mail cap).
      return {
        status: 200,
        body: pending ? { email, subscribed: false, pending: true } : { email, subscribed: true },
      };
    },
  });

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
          await subscribers.removeOwned(email, owner, db, now());
        }
        return { status: 200, body: { removed: email } };
      }
      // Only the owner removes; anyone else gets the same answer as a removal, and the address stays
      // (docs/http-api.md, Ownership). A decoy owns nothing either.
      // A stranger's removal runs the same query with a token that owns nothing, so the time the
      // answer takes does not tell an owner from a stranger either.
      const mine = owner !== undefined && !decoy;
      const result = await subscribers.removeOwned(
        email,
        mine ? owner : newOwnerToken(),
        db,
        now(),
      );
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
