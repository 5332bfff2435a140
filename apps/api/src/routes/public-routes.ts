import {
  checkEmail,
  contract,
  type HealthResponse,
  type SessionResponse,
  type SignupResponse,
  type SiteResponse,
  type StatsResponse,
  type UnregisterResponse,
} from '@catlist/contracts';
import type Router from '@koa/router';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { ApiError } from '../api-error.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { newOwnerToken } from '../db/owner-token.js';
import type { SubscriberStore } from '../db/subscriber-store.js';
import { forgetSessionFields, sessionChanged } from '../session/session-middleware.js';
import { validate } from '../validate.js';

export interface PublicRoutesDeps {
  /** The site's branding and whether admin is on, as GET /api/site answers it. */
  site: SiteResponse;
  subscribers: SubscriberStore;
  database: Pick<DatabaseHandle, 'ping'>;
  signupLimit: Koa.Middleware;
  logger: Logger;
  now: () => number;
}

/** Adds the visitor-facing routes to `router`: site, session, signup, unregister, stats, health. */
export function publicRoutes(
  router: Router,
  { site, subscribers, database, signupLimit, logger, now }: PublicRoutesDeps,
): void {
  // Fixed at start: the SPA reads it when the page it was served lacks it (dev, cross-origin).
  router.get(contract.getSite.path, (ctx) => {
    ctx.body = site;
  });

  router.get(contract.getSession.path, async (ctx) => {
    const session = ctx.session;
    const email = session?.email ?? null;
    const body: SessionResponse = {
      email,
      // A decoy (the honeypot) reads as subscribed, like the signup it imitates.
      subscribed: email !== null && (session?.decoy === true || (await subscribers.has(email))),
      admin: ctx.state.admin === true,
    };
    ctx.body = body;
  });

  router.post(contract.signup.path, signupLimit, async (ctx) => {
    const input = validate(contract.signup.body, ctx.request.body);
    const checked = checkEmail(input.email);
    if (!checked.ok) throw new ApiError(400, 'invalid_email', { message: checked.message });
    const { email } = checked;
    const session = ctx.session;
    if (!session) throw new Error('session middleware missing');
    // The honeypot filled in: nothing joins the list, but the bot must not be able to tell, so
    // the answer, the cookie and later session reads are those of a real signup.
    const caught = input.website !== undefined && input.website !== '';
    if (caught) {
      delete session.owner;
      session.decoy = true;
    } else {
      // Signing up the address this session already owns keeps it; any other owner token is new
      // and owns the address only if this signup is what puts it on the list.
      const known = session.email === email && !session.decoy ? session.owner : undefined;
      const token = known ?? newOwnerToken();
      const owns = await subscribers.add(email, now(), token);
      if (owns) session.owner = token;
      else delete session.owner;
      delete session.decoy;
    }
    session.email = email;
    sessionChanged(ctx);
    // A new session id: a cookie planted in this browser before the signup (session fixation)
    // can neither read nor remove what it signs up. A session made in this request is new already.
    if (!session.isNew) await session.regenerate();
    const body: SignupResponse = { email, subscribed: true };
    ctx.body = body;
  });

  router.post(contract.unregister.path, async (ctx) => {
    const session = ctx.session;
    const email = session?.email;
    if (!session || email === undefined) throw new ApiError(409, 'no_email_in_session');
    const { owner, decoy } = session;
    forgetSessionFields(ctx, 'email', 'owner', 'decoy');
    // Only the owner removes; anyone else gets the same answer as a removal, and the address stays
    // (docs/http-api.md, Ownership). A decoy owns nothing either.
    // A stranger's removal runs the same query with a token that owns nothing, so the time the
    // answer takes does not tell an owner from a stranger either.
    const mine = owner !== undefined && !decoy;
    const result = await subscribers.removeOwned(email, mine ? owner : newOwnerToken());
    if (mine && result === 'absent') throw new ApiError(404, 'not_on_list');
    const body: UnregisterResponse = { removed: email };
    ctx.body = body;
  });

  router.get(contract.getStats.path, async (ctx) => {
    const body: StatsResponse = { subscribers: await subscribers.count() };
    ctx.body = body;
  });

  router.get(contract.getHealth.path, async (ctx) => {
    try {
      await database.ping();
      const body: HealthResponse = { status: 'ok' };
      ctx.body = body;
    } catch (error) {
      logger.warn({ err: error }, 'health check failed');
      const body: HealthResponse = { status: 'unavailable' };
      ctx.status = 503;
      ctx.body = body;
    }
  });
}
