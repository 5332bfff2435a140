import { ErrorBody } from '@catlist/contracts';
import * as z from 'zod/mini';
import {
  ApiError,
  type CallArgs,
  type Endpoint,
  parseRetryAfter,
  type Success,
  send,
} from './api-client';

// The half of the API client that reads answers: the contract's schemas (zod) check every one.
// Not in the first load: api-client.ts's `api` sends the signup page's requests without it and
// waits for it to read their answers. The lazy pages (admin, the links in mails, the texts
// loader) call `call`.

export { publicEndpoints } from '@catlist/contracts';

/**
 * What a proxy in front of the API answers, in its own words, when the API is down: Vite's dev
 * proxy (an empty 502), nginx or a load balancer (an HTML 502/503/504).
 */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/**
 * The success body of `response` as `endpoint`'s contract parses it; rejects with `ApiError` for
 * an error answer (its code and message) or an answer off the contract.
 */
export async function read<E extends Endpoint>(
  endpoint: E,
  response: Response,
): Promise<Success<E>> {
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
 * Calls `endpoint` and answers its success body as the contract parses it; rejects with `ApiError`.
 * The lazy pages' API objects are thin wrappers around it.
 */
export async function call<E extends Endpoint>(
  endpoint: E,
  ...args: CallArgs<E>
): Promise<Success<E>> {
  return read(endpoint, await send<E>(endpoint, ...args));
}
