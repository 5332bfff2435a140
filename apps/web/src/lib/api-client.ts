import type { Contract, ErrorCode, publicEndpoints, ValidationIssue } from '@catlist/contracts';
import { publicRoutes } from '@catlist/contracts';
import type * as z from 'zod/mini';
import { env } from '../config/env';

// The API client, in two halves. This one, in every page's first load, sends requests (`send`)
// and knows their errors (`ApiError`); call.ts reads the answers with the contract's schemas
// (zod), in a chunk of its own that main.tsx starts loading beside the first render. The signup
// page's calls (`api`) send at once and wait for both; the lazy pages use call.ts's `call`.

/** Codes the client makes up itself when there is no API answer it can read. */
export type ClientErrorCode = 'network_error' | 'api_unreachable' | 'invalid_response';

/** Longest we wait for the API before telling the visitor the network failed. */
const REQUEST_TIMEOUT_MS = 15_000;

/** Every failed call: an API error body, a network failure or an answer off the contract. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  // `string & {}` keeps codes added to the API later without losing autocompletion.
  readonly code: ErrorCode | ClientErrorCode | (string & {});
  /** Seconds to wait before trying again, from `Retry-After` (RFC 9110 §10.2.3). */
  readonly retryAfter: number | null;
  /** For `invalid_request`: which field is wrong and why (the admin ties them to its fields). */
  readonly issues: readonly ValidationIssue[] | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    retryAfter: number | null = null,
    issues?: readonly ValidationIssue[],
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.issues = issues;
  }

  /**
   * An error the client raised itself: no message, as there is no one language to write it in;
   * each page says its code in its own words (the visitor pages' texts, the admin's English).
   */
  static client(code: ClientErrorCode, status = 0): ApiError {
    return new ApiError(status, code, '');
  }
}

export type Endpoint = Contract[keyof Contract];
// 200, or 201 for what a POST creates.
export type Success<E extends Endpoint> = E['responses'] extends {
  200: infer S extends z.ZodMiniType;
}
  ? z.output<S>
  : E['responses'] extends { 201: infer S extends z.ZodMiniType }
    ? z.output<S>
    : undefined;
/** The request body type of an endpoint (what its `body` schema accepts). */
export type Body<E extends Endpoint> = E extends { body: infer B extends z.ZodMiniType }
  ? z.input<B>
  : never;
// The query as the server reads it (z.output: `limit` is a number, not the string on the wire).
export type Query<E extends Endpoint> = E extends { query: infer Q extends z.ZodMiniType }
  ? z.output<Q>
  : never;
/** The `:name` segments of a contract path, e.g. `'email'` for `/api/admin/subscribers/:email`. */
type ParamName<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamName<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
type Params<E extends Endpoint> = { readonly [K in ParamName<E['path']>]: string };

/** `Retry-After` is either delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function withTimeout(signal: AbortSignal | undefined, ms = REQUEST_TIMEOUT_MS): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

interface UrlOptions<E extends Endpoint> {
  query?: Query<E>;
}
// Path parameters are required exactly when the path has some.
type ParamOptions<E extends Endpoint> = [ParamName<E['path']>] extends [never]
  ? { params?: undefined }
  : { params: Params<E> };
type UrlArgs<E extends Endpoint> = [ParamName<E['path']>] extends [never]
  ? [options?: UrlOptions<E> & ParamOptions<E>]
  : [options: UrlOptions<E> & ParamOptions<E>];

export type CallOptions<E extends Endpoint> = UrlOptions<E> &
  ParamOptions<E> & {
    body?: Body<E>;
    /** A file sent as it is, with the endpoint's `upload` media type. */
    upload?: Blob;
    signal?: AbortSignal;
    timeoutMs?: number;
  };
export type CallArgs<E extends Endpoint> = [ParamName<E['path']>] extends [never]
  ? [options?: CallOptions<E>]
  : [options: CallOptions<E>];

/**
 * The absolute or same-origin URL of `endpoint`: `:name` segments filled in (percent-encoded, so
 * an address with `/`, `%` or `?` stays one segment) and the query appended, unset keys left out.
 */
export function endpointUrl<E extends Endpoint>(endpoint: E, ...[options]: UrlArgs<E>): string {
  const params: Readonly<Record<string, string>> = options?.params ?? {};
  const path = endpoint.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`endpointUrl: no value for :${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(options?.query ?? {})) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const query = search.toString();
  return `${env.apiBaseUrl}${path}${query === '' ? '' : `?${query}`}`;
}

/**
 * Sends the request of `endpoint` (only its method, path and upload type are read: no schema), and
 * answers the response, whatever its status; rejects with `network_error` when none arrives.
 */
export async function send<E extends Endpoint>(
  endpoint: Pick<E, 'method' | 'path'> & { upload?: string },
  ...[options]: CallArgs<E>
): Promise<Response> {
  const { body, upload, signal, timeoutMs } = options ?? {};
  const init: RequestInit = {
    method: endpoint.method,
    // Same-origin this is the default; cross-origin (VITE_API_URL) the session cookie needs it.
    credentials: 'include',
    headers: { Accept: 'application/json' },
    signal: withTimeout(signal, timeoutMs),
  };
  if (body !== undefined) {
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body);
  } else if (upload !== undefined && endpoint.upload !== undefined) {
    init.headers = { Accept: 'application/json', 'Content-Type': endpoint.upload };
    init.body = upload;
  }
  try {
    return await fetch(endpointUrl(endpoint as E, ...([options] as UrlArgs<E>)), init);
  } catch (error) {
    // The caller cancelled: let it see its own abort, not a network failure.
    if (signal?.aborted) throw error;
    throw ApiError.client('network_error');
  }
}

let client: Promise<typeof import('./call')> | undefined;

/**
 * The half that reads answers (call.ts), loaded once. A chunk that does not arrive is a network
 * failure like any other, and the next call asks for it again.
 */
function loadClient(): Promise<typeof import('./call')> {
  client ??= import('./call').catch(() => {
    client = undefined;
    throw ApiError.client('network_error');
  });
  return client;
}

/**
 * Starts loading the half that reads answers without waiting for it (main.tsx, beside the first
 * render): the first page paints without it, and it is on its way before the first call.
 */
export function preloadApiClient(): void {
  loadClient().catch(() => {});
}

type Public = typeof publicEndpoints;

/** The answer to a request already sent, read with its endpoint's schemas once call.ts is here. */
async function receive<K extends keyof Public>(
  name: K,
  sent: Promise<Response>,
): Promise<Success<Public[K]>> {
  const [response, { publicEndpoints, read }] = await Promise.all([sent, loadClient()]);
  return read(publicEndpoints[name] as Public[K], response);
}

/**
 * The calls of the signup page, every page's first load: each request leaves at once, and its
 * answer is read once the client's other half is here. The lazy pages keep theirs beside them
 * (features/admin/admin-api.ts, features/mail-links/mail-link-api.ts), so that their endpoints and
 * schemas load with them, not up front. Every method rejects with `ApiError`.
 */
export const api = {
  getSite: (signal?: AbortSignal) =>
    receive('getSite', send<Public['getSite']>(publicRoutes.getSite, { signal })),
  getSession: (signal?: AbortSignal) =>
    receive('getSession', send<Public['getSession']>(publicRoutes.getSession, { signal })),
  signup: (body: Body<Public['signup']>) =>
    receive('signup', send<Public['signup']>(publicRoutes.signup, { body })),
  unregister: () => receive('unregister', send<Public['unregister']>(publicRoutes.unregister)),
  getStats: (signal?: AbortSignal) =>
    receive('getStats', send<Public['getStats']>(publicRoutes.getStats, { signal })),
};
