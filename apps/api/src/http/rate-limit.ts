import type { ErrorCode } from '@catlist/contracts';
import type Koa from 'koa';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from './api-error.js';

export interface RateLimitOptions {
  limiter: RateLimiterAbstract;
  code: ErrorCode;
  /** The message, given the wait in seconds. */
  message: (retryAfterSeconds: number) => string;
}

/** Spends one point for `key`, atomically; past the limit, throws 429 with `Retry-After`. */
export async function spendPoint(
  { limiter, code, message }: RateLimitOptions,
  key: string,
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new ApiError(429, code, {
      message: message(retryAfter),
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
}

/** Spends one point per request from the client's IP; past the limit, 429 with `Retry-After`. */
export function rateLimit(options: RateLimitOptions): Koa.Middleware {
  return async function rateLimit(ctx, next) {
    await spendPoint(options, ctx.ip);
    await next();
  };
}
