import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createUnzip } from 'node:zlib';
import { ApiError } from './api-error.js';

// docs/http-api.md, Conventions: a body that cannot be decoded as sent (a Content-Encoding that
// is not really gzip/deflate/br, a gzip stream cut short, a charset other than UTF-8) is the
// client's mistake, `400 invalid_request`, never a 500 with an "unhandled error" in the log; a
// coding the server does not know is `415` (RFC 9110, section 15.5.16).

/** The content codings a request body may be sent in (the ones `inflation` decodes). */
const CODINGS = new Set(['identity', 'gzip', 'deflate', 'br']);
/**
 * The charsets a text body may declare: UTF-8 (RFC 8259, section 8.1: JSON is UTF-8; forms come
 * in the charset of the page that holds them, UTF-8 here).
 */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

const UNDECODABLE_MESSAGE = 'The request body could not be decoded as its Content-Encoding says.';

/** The body's content coding, lower-cased; `415` for one the server cannot decode. */
export function contentCoding(req: IncomingMessage): string {
  const coding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase() || 'identity';
  if (!CODINGS.has(coding)) {
    throw new ApiError(415, 'unsupported_media_type', {
      message: 'Send the request body uncompressed, or as gzip, deflate or br.',
    });
  }
  return coding;
}

/** `400 invalid_request` (saying `message`) for a body that declares a charset other than UTF-8. */
export function checkUtf8Charset(charset: string, message: string): void {
  if (charset !== '' && !UTF8_CHARSETS.has(charset.toLowerCase())) {
    throw new ApiError(400, 'invalid_request', { message });
  }
}

/**
 * The error to answer for a failure while a body was read and decoded: the body reader's own HTTP
 * errors as they are (the error handler maps them), anything else (zlib's `Z_DATA_ERROR`,
 * `Z_BUF_ERROR`, brotli's `ERR__ERROR_FORMAT_*`: errors with no HTTP status) as undecodable.
 */
export function bodyReadError(error: unknown): unknown {
  const status = (error as { status?: unknown } | null)?.status;
  if (error instanceof ApiError || typeof status === 'number') return error;
  return new ApiError(400, 'invalid_request', { message: UNDECODABLE_MESSAGE });
}

/** A stream that decodes `coding` (from `contentCoding`); null for `identity`. */
export function decoderFor(coding: string): Transform | null {
  if (coding === 'identity') return null;
  return coding === 'br' ? createBrotliDecompress() : createUnzip();
}
