import { ApiError } from '../http/api-error.js';
import type { PageKey } from '../stores/subscriber-store.js';

// No address this server stores holds one, and PostgreSQL refuses NUL in text outright.
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Opaque cursor for keyset paging: base64url of `[createdAt, email]`. */
export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.email]), 'utf8').toString('base64url');
}

/** Decodes a cursor from `encodeCursor`; anything else is `400 invalid_request`, never a 500. */
export function decodeCursor(cursor: string): PageKey {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isSafeInteger(value[0]) &&
    typeof value[1] === 'string' &&
    !CONTROL_CHARACTER.test(value[1])
  ) {
    return { createdAt: value[0] as number, email: value[1] };
  }
  throw new ApiError(400, 'invalid_request', {
    message: 'The cursor is not one this server issued.',
    issues: [{ path: ['cursor'], message: 'Invalid cursor' }],
  });
}
