import type { Readable } from 'node:stream';
import type { Endpoint } from '@catlist/contracts';
import type { Router, RouterContext, RouterMiddleware } from '@koa/router';
import type Koa from 'koa';
import type * as z from 'zod/mini';
import { ApiError } from '../http/api-error.js';
import { jsonBody } from '../http/json-body.js';
import { validate } from '../http/validate.js';

// A route is registered from its contract entry (docs/architecture.md, The request path): the
// method, the path, the input's validation, the admin guard and the answer's type all come from
// the entry, so none of them is written a second time in the API.

/** What the entry's `K` schema parses to; `undefined` when the entry has none. */
type Parsed<E, K extends 'body' | 'form' | 'query' | 'params'> = E extends {
  readonly [P in K]: infer S extends z.ZodMiniType;
}
  ? z.output<S>
  : undefined;

/** The request's input, parsed with the entry's schemas (`body` from a `form` for a form's entry). */
export interface RouteInput<E extends Endpoint> {
  body: E extends { readonly form: z.ZodMiniType } ? Parsed<E, 'form'> : Parsed<E, 'body'>;
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
   * RFC 8058 one-click unsubscribe: mail providers POST it from their own servers with whatever
   * body they like (multipart/form-data, a urlencoded form, nothing), so no origin check and no
   * body parser: the body is never read, only the query counts.
   */
  oneClick?: true;
  /**
   * The feature behind this route is switched off (the mail routes without MAIL_URL): the route
   * answers `404 not_found` and nothing else runs, the origin check included.
   */
  off?: boolean;
  /**
   * A JSON body limit of its own, in bytes, instead of the 16 KiB of every other route (an
   * announcement's text).
   */
  bodyLimitBytes?: number;
  /** Middleware for this route alone (a rate limit, a feature switch), run before the guard. */
  use?: readonly Koa.Middleware[];
  /**
   * Runs first, around everything else on this route (the origin check and the body parser
   * included): the form's route answers every refusal as a page rather than as JSON.
   */
  around?: Koa.Middleware;
  handler(ctx: Koa.Context, input: RouteInput<E>): RouteAnswer<E> | Promise<RouteAnswer<E>>;
}

/** The middleware the binder mounts on the routes that need it, made once by `createApp`. */
export interface RouteMiddleware {
  /** Refuses state-changing requests from other sites (http/origin-check.ts). */
  originCheck: Koa.Middleware;
  /** The JSON body parser (http/json-body.ts). */
  jsonBody: Koa.Middleware;
  /** The HTML form body parser (http/form-body.ts), for entries with a `form`. */
  formBody: Koa.Middleware;
  /** koa-session, then the admin flag (session/). */
  session: Koa.Middleware;
  /** `401 unauthorized` unless the session is a live admin's. */
  requireAdmin: Koa.Middleware;
}

/** A route whose feature is off: there is nothing here, whoever asks. */
const switchedOff: RouterMiddleware = function switchedOff() {
  throw new ApiError(404, 'not_found');
};

/** Registers one route from its contract entry. */
export type BindRoute = <E extends Endpoint>(endpoint: E, route: NoInfer<RouteSpec<E>>) => void;

/**
 * Returns `bind(entry, { handler, ... })`, which adds a route to `router` at the entry's method
 * and path, with, in this order: the route's `around`, the origin check (state-changing methods
 * but one-click), the body parser (the form parser for a `form`; else JSON on POST without an
 * upload, which its handler streams, and but one-click), the session, the route's own middleware,
 * the admin guard (`admin: true`), the entry's body, query and params schemas, and the handler,
 * whose `{ status, body }` becomes the response.
 */
export function routeBinder(router: Router, middleware: RouteMiddleware): BindRoute {
  return function bind<E extends Endpoint>(endpoint: E, route: RouteSpec<E>): void {
    if (route.off) {
      router.register(endpoint.path, [endpoint.method], [switchedOff]);
      return;
    }
    const stack: RouterMiddleware[] = route.around ? [route.around] : [];
    if (endpoint.method !== 'GET' && !route.oneClick) stack.push(middleware.originCheck);
    if (endpoint.form) stack.push(middleware.formBody);
    else if (endpoint.method === 'POST' && endpoint.upload === undefined && !route.oneClick) {
      stack.push(route.bodyLimitBytes ? jsonBody(route.bodyLimitBytes) : middleware.jsonBody);
    }
    if (route.session || endpoint.admin) stack.push(middleware.session);
    stack.push(...(route.use ?? []));
    if (endpoint.admin) stack.push(middleware.requireAdmin);
    const bodySchema = endpoint.form ?? endpoint.body;
    async function contractRoute(ctx: RouterContext): Promise<void> {
      const input = {
        body: bodySchema ? validate(bodySchema, ctx.request.body) : undefined,
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
