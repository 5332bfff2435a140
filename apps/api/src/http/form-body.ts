import { FORM_MEDIA_TYPES } from '@catlist/contracts';
import type Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { ApiError } from './api-error.js';
import { bodyReadError, contentCoding } from './body-decoding.js';
import { BODY_LIMIT_BYTES, carriesBody } from './json-body.js';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
/** The charsets a form may declare: browsers send forms in the page's charset, UTF-8 here. */
const FORM_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);
const NOT_UTF8 = 'Send the form as UTF-8.';

/** A form's fields: a value per name, an array for a repeated name, `null` for an uploaded file. */
export type FormFields = Record<string, string | null | (string | null)[]>;

/**
 * HTML form bodies only (`application/x-www-form-urlencoded`, `multipart/form-data`), with the
 * JSON API's rules (http/json-body.ts): another media type is 415, over 16 KiB is 413, a body
 * that cannot be decoded as sent (Content-Encoding, a charset or bytes that are not UTF-8, a
 * malformed multipart body) is 400 invalid_request. The fields land in `ctx.request.body` as
 * `FormFields` (no body: no fields), for the route's schema to judge. Mounted by the binder on
 * entries with a `form` (routes/bind-route.ts).
 */
export function formBody(): Koa.Middleware {
  // Read as text, one char per byte, and decoded here strictly (as jsonBody does): a lenient
  // decoder would turn bytes that are not UTF-8 into U+FFFD and let them into an address.
  const read = bodyParser({
    enableTypes: ['text'],
    extendTypes: { text: [...FORM_MEDIA_TYPES] },
    textLimit: `${BODY_LIMIT_BYTES}b`,
    encoding: 'latin1',
    onerror: (error: Error) => {
      throw bodyReadError(error);
    },
  });
  return async function formBody(ctx, next) {
    if (carriesBody(ctx)) {
      if (ctx.request.is([...FORM_MEDIA_TYPES]) === false) {
        throw new ApiError(415, 'unsupported_media_type', {
          message: 'Send the form as application/x-www-form-urlencoded or multipart/form-data.',
        });
      }
      ctx.req.headers['content-encoding'] = contentCoding(ctx.req);
      const charset = ctx.request.charset;
      if (charset !== '' && !FORM_CHARSETS.has(charset.toLowerCase())) {
        throw new ApiError(400, 'invalid_request', { message: NOT_UTF8 });
      }
    }
    await read(ctx, async () => {});
    const raw = ctx.request.body;
    ctx.request.body =
      typeof raw === 'string' && raw !== '' ? await formFields(raw, ctx.get('Content-Type')) : {};
    await next();
  };
}

/** The fields of a form body read as latin1, parsed by the platform's own form parser. */
async function formFields(bytes: string, contentType: string): Promise<FormFields> {
  let text: string;
  try {
    text = STRICT_UTF8.decode(Buffer.from(bytes, 'latin1'));
    // URLSearchParams decodes a malformed %-escape (or one that is not UTF-8) as U+FFFD;
    // decodeURIComponent refuses it, so it checks the escapes first.
    if (contentType.toLowerCase().startsWith(FORM_MEDIA_TYPES[0])) decodeURIComponent(text);
  } catch {
    throw new ApiError(400, 'invalid_request', { message: NOT_UTF8 });
  }
  let data: FormData;
  try {
    data = await new Response(text, { headers: { 'Content-Type': contentType } }).formData();
  } catch {
    throw new ApiError(400, 'invalid_request', { message: 'The form could not be read.' });
  }
  // A Map, then own properties: a field named `__proto__` or `constructor` is just a field.
  const fields = new Map<string, (string | null)[]>();
  for (const [name, entry] of data) {
    fields.set(name, [...(fields.get(name) ?? []), typeof entry === 'string' ? entry : null]);
  }
  return Object.fromEntries(
    [...fields].map(([name, values]) => [name, values.length === 1 ? (values[0] ?? null) : values]),
  );
}
