import * as z from 'zod/mini';
import { errorBody } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/**
 * One endpoint of the contract: where it lives, what it takes, what it answers by status (a JSON
 * body's schema, or `null` for no body or one that is not JSON). Error statuses list the codes
 * they carry; any endpoint may also answer `500 internal_error`.
 */
export interface Endpoint {
  readonly method: HttpMethod;
  readonly path: string;
  /** Needs a live admin session (else `401 unauthorized`). */
  readonly admin?: true;
  /** Media type of the success body when it is not JSON. */
  readonly produces?: string;
  readonly body?: z.ZodMiniType;
  readonly query?: z.ZodMiniType;
  readonly params?: z.ZodMiniType;
  /**
   * A body that is not JSON, sent as it is with this media type (a CSV upload), or with the file's
   * own type within this range (`image/*`: the logo).
   */
  readonly upload?: string;
  /**
   * The fields of a plain HTML form, sent as `application/x-www-form-urlencoded` or
   * `multipart/form-data` (FORM_MEDIA_TYPES). Such a route answers pages, not JSON: every status
   * but a redirect carries a `produces` (text/html) body, errors included.
   */
  readonly form?: z.ZodMiniType;
  readonly responses: Readonly<Record<number, z.ZodMiniType | null>>;
}

/** The media types an HTML form is sent in (an entry with `form`). */
export const FORM_MEDIA_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
] as const;

// What every state-changing route can answer before its handler runs (docs/http-api.md): another
// site's origin, and, on POST, a body that is too large or not JSON.
export const ForbiddenOrigin = errorBody('forbidden_origin');
export const PayloadTooLarge = errorBody('payload_too_large');
export const UnsupportedMediaType = errorBody('unsupported_media_type');
/** What a route that reads the database answers while the database is unreachable. */
export const ServiceUnavailable = errorBody('service_unavailable');

// A query's integer is decimal digits and nothing else: `Number()` (and so `z.coerce.number()`)
// also takes `0x2`, `1e0`, `+1`, `1.0`, ` 1`, and a trailing-space or empty string as 0, which
// an API that promises "1 to 500" should not quietly accept. A leading zero is padding too.
const DECIMAL_DIGITS = /^(0|[1-9][0-9]*)$/;

/** An integer query parameter from `min` to `max`, written in ASCII decimal digits only. */
export const queryInteger = (min: number, max: number) =>
  z.pipe(
    z.pipe(
      z.string().check(z.regex(DECIMAL_DIGITS, 'must be written in decimal digits only')),
      z.transform((digits) => Number(digits)),
    ),
    z.number().check(z.int(), z.gte(min), z.lte(max)),
  );
