import type Koa from 'koa';
import { ApiError } from '../http/api-error.js';
import { bodyReadError, contentCoding, decoderFor } from '../http/body-decoding.js';

/** What an upload may declare itself as: any image type, or "just bytes"; the bytes decide. */
const DECLARED_TYPES = ['image/*', 'application/octet-stream'];

/**
 * The request body of a logo upload, whole: refused up front when its Content-Type is not an
 * image's (415) or it says it is larger than `maxBytes` (413), and with 413 once more than
 * `maxBytes` arrive (after a Content-Encoding is undone). SVG is refused by its declared type here
 * already, with the reason (an SVG file can carry scripts).
 */
export async function readLogoUpload(ctx: Koa.Context, maxBytes: number): Promise<Buffer> {
  if (ctx.request.is('image/svg+xml')) throw new ApiError(415, 'svg_image');
  if (!ctx.request.type || ctx.request.is(DECLARED_TYPES) === false) {
    throw new ApiError(415, 'unsupported_image');
  }
  const declared = ctx.request.length;
  if (declared !== undefined && declared > maxBytes) throw new ApiError(413, 'payload_too_large');
  const decoder = decoderFor(contentCoding(ctx.req));
  const source = decoder ? ctx.req.pipe(decoder) : ctx.req;
  const chunks: Buffer[] = [];
  let seen = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > maxBytes) {
        // Nothing more is read: the connection closes after the answer (close-unread-body.ts).
        ctx.req.unpipe();
        throw new ApiError(413, 'payload_too_large');
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw bodyReadError(error);
  }
  return Buffer.concat(chunks);
}
