import type { Readable } from 'node:stream';
import type { Endpoint } from '@catlist/contracts';
import type { Router, RouterContext, RouterMiddleware } from '@koa/router';
import type Koa from 'koa';
import type * as z from 'zod/mini';
import { validate } from '../http/validate.js';

// A route is registered from its contract entry (docs/architecture.md, The request path): the
// method, the path, the input's validation, the admin guard and the answer's type all come from
// the entry, so none of them is written a second time in the API.

/** What the entry's `K` schema parses to; `undefined` when the entry has none. */
type Parsed<E, K extends 'body' | 'query' | 'params'> = E extends {
  readonly [P in K]: infer S extends z.ZodMiniType;
}
  ? z.output<S>
  : undefined;

/** The request's input, parsed with the entry's schemas. */
export interface RouteInput<E extends Endpoint> {
  body: Parsed<E, 'body'>;
  query: Parsed<E, 'query'>;
  params: Parsed<E, 'params'>;
}

/** A body that is not JSON, for an entry that `produces` another media type (a CSV download). */
export type NonJsonBody = string | Buffer | Readable;

type AnswerFor<
  E extends Endpoint,
  S extends keyof E['responses'],
> = E['responses'][S] extends z.ZodMiniType
  ? { status: S; body: z.output<E['responses'][S]> }
  : E extends { readonly produces: string }
    ? { status: S; body: NonJsonBody }
    : { status: S; body?: undefined };

/** What a handler answers: one of the entry's statuses, with the body its schema describes. */
export type RouteAnswer<E extends Endpoint> = {
  [S in keyof E['responses'] & number]: AnswerFor<E, S>;
}[keyof E['responses'] & number];

/** One route: the middleware only it needs, and its handler. */
export interface RouteSpec<E extends Endpoint> {
  /** Reads or changes the visitor's session (admin entries always do). */
  session?: true;
  /**
   * RFC 8058 one-click unsubscribe: mail providers POST it from their own servers, as a form, so
   * no origin check and a form body is read as well as JSON.
   */
  oneClick?: true;
  /** Middleware for this route alone (a rate limit, a feature switch), run before the guard. */
  use?: readonly Koa.Middleware[];
  handler(ctx: Koa.Context, input: RouteInput<E>): RouteAnswer<E> | Promise<RouteAnswer<E>>;
}

/** The middleware the binder mounts on the routes that need it, made once by `createApp`. */
export interface RouteMiddleware {
  /** Refuses state-changing requests from other sites (http/origin-check.ts). */
  originCheck: Koa.Middleware;
  /** The JSON body parser (http/json-body.ts). */
  jsonBody: Koa.Middleware;
  /** The same, also taking a form body (RFC 8058). */
  jsonOrFormBody: Koa.Middleware;
  /** koa-session, then the admin flag (session/). */
  session: Koa.Middleware;
  /** `401 unauthorized` unless the session is a live admin's. */
  requireAdmin: Koa.Middleware;
}

/** Registers one route from its contract entry. */
export type BindRoute = <E extends Endpoint>(endpoint: E, route: NoInfer<RouteSpec<E>>) => void;

/**
 * Returns `bind(entry, { handler, ... })`, which adds a route to `router` at the entry's method
 * and path, with, in this order: the origin check (state-changing methods), the body parser
 * (POST without an upload, which its handler streams), the session, the route's own middleware,
 * the admin guard (`admin: true`), the entry's body, query and params schemas, and the handler,
 * whose `{ status, body }` becomes the response.
 */
export function routeBinder(router: Router, middleware: RouteMiddleware): BindRoute {
  return function bind<E extends Endpoint>(endpoint: E, route: RouteSpec<E>): void {
    const stack: RouterMiddleware[] = [];
    if (endpoint.method !== 'GET' && !route.oneClick) stack.push(middleware.originCheck);
    if (endpoint.method === 'POST' && endpoint.upload === undefined) {
      stack.push(route.oneClick ? middleware.jsonOrFormBody : middleware.jsonBody);
    }
    if (route.session || endpoint.admin) stack.push(middleware.session);
    stack.push(...(route.use ?? []));
    if (endpoint.admin) stack.push(middleware.requireAdmin);
    async function contractRoute(ctx: RouterContext): Promise<void> {
      const input = {
        body: endpoint.body ? validate(endpoint.body, ctx.request.body) : undefined,
        query: endpoint.query ? validate(endpoint.query, ctx.query) : undefined,
        params: endpoint.params ? validate(endpoint.params, ctx.params) : undefined,
      } as RouteInput<E>;
      const answer: { status: number; body?: unknown } = await route.handler(ctx, input);
      ctx.status = answer.status;
      if (answer.body === undefined) return;
      if (endpoint.produces) ctx.type = endpoint.produces;
      ctx.body = answer.body;
    }
    stack.push(contractRoute);
    router.register(endpoint.path, [endpoint.method], stack);
  };
}
