import {
  checkEmail,
  contract,
  type HealthResponse,
  type SessionResponse,
  type SignupResponse,
  type StatsResponse,
  type UnregisterResponse,
} from '@catlist/contracts';
import type Router from '@koa/router';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { ApiError } from '../api-error.js';
import type { DatabaseHandle } from '../db/open-database.js';
import type { SubscriberStore } from '../db/subscriber-store.js';
import { forgetSessionField, sessionChanged } from '../session/session-middleware.js';
import { validate } from '../validate.js';

export interface PublicRoutesDeps {
  subscribers: SubscriberStore;
  database: Pick<DatabaseHandle, 'ping'>;
  signupLimit: Koa.Middleware;
  logger: Logger;
  now: () => number;
}

/** Adds the visitor-facing routes to `router`: session, signup, unregister, stats, health. */
export function publicRoutes(
  router: Router,
  { subscribers, database, signupLimit, logger, now }: PublicRoutesDeps,
): void {
  router.get(contract.getSession.path, async (ctx) => {
    const email = ctx.session?.email ?? null;
    const body: SessionResponse = {
      email,
      subscribed: email !== null && (await subscribers.has(email)),
      admin: ctx.state.admin === true,
    };
    ctx.body = body;
  });

  router.post(contract.signup.path, signupLimit, async (ctx) => {
    const input = validate(contract.signup.body, ctx.request.body);
    const checked = checkEmail(input.email);
    if (!checked.ok) throw new ApiError(400, 'invalid_email', { message: checked.message });
    const body: SignupResponse = { email: checked.email, subscribed: true };
    // Honeypot filled in: answer exactly as for a person, store nothing, touch no session.
    if (input.website !== undefined && input.website !== '') {
      ctx.body = body;
      return;
    }
    await subscribers.add(checked.email, now());
    const session = ctx.session;
    if (session) session.email = checked.email;
    sessionChanged(ctx);
    ctx.body = body;
  });

  router.post(contract.unregister.path, async (ctx) => {
    const email = ctx.session?.email;
    if (email === undefined) throw new ApiError(409, 'no_email_in_session');
    const removed = await subscribers.remove(email);
    forgetSessionField(ctx, 'email');
    if (!removed) throw new ApiError(404, 'not_on_list');
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
