import { Transform } from 'node:stream';
import type Koa from 'koa';
import { ApiError } from '../http/api-error.js';
import { bodyReadError, contentCoding, decoderFor } from '../http/body-decoding.js';
import { TimedRequest } from '../http/http-server.js';

/** Media types a browser or script may give a CSV file (Windows reports .csv as Excel's). */
const CSV_TYPES = ['text/csv', 'text/plain', 'application/vnd.ms-excel'];

/**
 * The request body as a stream of the CSV upload, refused up front (415, 413) when it is not
 * CSV or says it is larger than `maxBytes`; a body that turns out larger while it streams fails
 * the stream with 413, so whatever reads it stops there.
 */
export function csvUpload(ctx: Koa.Context, maxBytes: number): Transform {
  if (ctx.request.is(CSV_TYPES) === false || !ctx.request.type) {
    throw new ApiError(415, 'unsupported_media_type', { message: 'Send the file as text/csv.' });
  }
  const decoder = decoderFor(contentCoding(ctx.req));
  const declared = ctx.request.length;
  if (declared !== undefined && declared > maxBytes) throw new ApiError(413, 'payload_too_large');
  let seen = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new ApiError(413, 'payload_too_large'));
      else done(null, chunk);
    },
  });
  // A failure before anything reads the upload (the client left, the body is not what its
  // Content-Encoding says) stays in `limited.errored`, and readAddressCsv throws it when it starts
  // reading: without this listener it would be an uncaught exception meanwhile.
  limited.on('error', () => {});
  // A client that goes away mid-upload (or is cut off after a pause, http-server.ts) ends the
  // request without its end: the upload fails as the client's doing, not as an unhandled error.
  const cutShort = () =>
    limited.destroy(
      new ApiError(400, 'invalid_request', { message: 'The upload broke off before its end.' }),
    );
  ctx.req.on('error', cutShort);
  ctx.req.on('aborted', cutShort);
  // A large file on a slow link: the limit is on pauses, not on the whole transfer.
  if (ctx.req instanceof TimedRequest) ctx.req.allowSlowBody();
  // A compressed upload is decoded first, so the size limit holds for what is parsed (a small
  // gzip can unpack to far more than 10 MiB); one that is not what it says is a 400.
  if (decoder) {
    decoder.on('error', (error) => limited.destroy(bodyReadError(error) as Error));
    ctx.req.pipe(decoder).pipe(limited);
  } else {
    ctx.req.pipe(limited);
  }
  return limited;
}
