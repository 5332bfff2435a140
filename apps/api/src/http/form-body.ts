import { FORM_MEDIA_TYPES } from '@catlist/contracts';
import type Koa from 'koa';
import { ApiError } from './api-error.js';
import { textBodyReader } from './json-body.js';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
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
  const read = textBodyReader(FORM_MEDIA_TYPES, {
    unsupported: 'Send the form as application/x-www-form-urlencoded or multipart/form-data.',
    notUtf8: NOT_UTF8,
  });
  return async function formBody(ctx, next) {
    const text = await read(ctx);
    ctx.request.body =
      text === undefined || text === '' ? {} : await formFields(text, ctx.get('Content-Type'));
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
