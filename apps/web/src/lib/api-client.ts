import {
  type Contract,
  ErrorBody,
  type ErrorCode,
  publicEndpoints,
  type ValidationIssue,
} from '@catlist/contracts';
import * as z from 'zod/mini';
import { env } from '../config/env';

/** Codes the client makes up itself when there is no API answer it can read. */
export type ClientErrorCode = 'network_error' | 'api_unreachable' | 'invalid_response';

/** Longest we wait for the API before telling the visitor the network failed. */
const REQUEST_TIMEOUT_MS = 15_000;
/**
 * What a proxy in front of the API answers, in its own words, when the API is down: Vite's dev
 * proxy (an empty 502), nginx or a load balancer (an HTML 502/503/504).
 */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

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

type Endpoint = Contract[keyof Contract];
type Success<E extends Endpoint> = E['responses'] extends { 200: infer S extends z.ZodMiniType }
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

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
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

type CallOptions<E extends Endpoint> = UrlOptions<E> &
  ParamOptions<E> & {
    body?: Body<E>;
    /** A file sent as it is, with the endpoint's `upload` media type. */
    upload?: Blob;
    signal?: AbortSignal;
    timeoutMs?: number;
  };
type CallArgs<E extends Endpoint> = [ParamName<E['path']>] extends [never]
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
 * Calls `endpoint` and answers its success body as the contract parses it; rejects with `ApiError`.
 * The pages' API objects (`api` here, the lazy pages' own) are thin wrappers around it.
 */
export async function call<E extends Endpoint>(
  endpoint: E,
  ...[options]: CallArgs<E>
): Promise<Success<E>> {
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
  } else if (upload !== undefined && 'upload' in endpoint) {
    init.headers = { Accept: 'application/json', 'Content-Type': endpoint.upload };
    init.body = upload;
  }

  let response: Response;
  try {
    response = await fetch(endpointUrl(endpoint, ...([options] as UrlArgs<E>)), init);
  } catch (error) {
    // The caller cancelled: let it see its own abort, not a network failure.
    if (signal?.aborted) throw error;
    throw ApiError.client('network_error');
  }

  const responses: Readonly<Record<number, z.ZodMiniType | null>> = endpoint.responses;
  if (response.ok) {
    const schema = responses[response.status];
    if (schema === null) return undefined as Success<E>;
    if (schema === undefined) throw ApiError.client('invalid_response', response.status);
    const parsed = z.safeParse(schema, await readJson(response));
    if (!parsed.success) throw ApiError.client('invalid_response', response.status);
    return parsed.data as Success<E>;
  }

  const parsed = z.safeParse(ErrorBody, await readJson(response));
  // A proxy in front of the API may answer with HTML; the visitor still gets a sentence.
  if (!parsed.success) {
    const gateway = GATEWAY_STATUSES.has(response.status);
    throw ApiError.client(gateway ? 'api_unreachable' : 'invalid_response', response.status);
  }
  const { code, message, issues } = parsed.data.error;
  throw new ApiError(
    response.status,
    code,
    message,
    parseRetryAfter(response.headers.get('Retry-After')),
    issues,
  );
}

/**
 * The calls of the signup page, every page's first load. The lazy pages keep theirs beside them
 * (features/admin/admin-api.ts, features/mail-links/mail-link-api.ts), so that their endpoints and
 * schemas load with them, not up front. Every method rejects with `ApiError`.
 */
export const api = {
  getSite: (signal?: AbortSignal) => call(publicEndpoints.getSite, { signal }),
  getSession: (signal?: AbortSignal) => call(publicEndpoints.getSession, { signal }),
  signup: (body: Body<Contract['signup']>) => call(publicEndpoints.signup, { body }),
  unregister: () => call(publicEndpoints.unregister),
  getStats: (signal?: AbortSignal) => call(publicEndpoints.getStats, { signal }),
};
