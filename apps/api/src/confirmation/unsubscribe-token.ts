import type { SigningKeys } from '../session/signing-keys.js';

// Signed data is `unsubscribe:<address>`: never the `sid=<id>` that session cookies sign with the
// same keys, so neither signature can stand in for the other.
const PURPOSE = 'unsubscribe:';

/**
 * An unsubscribe token: the address (base64url) and its signature with the newest key. It needs no
 * row anywhere and works for as long as the key that signed it is listed in SESSION_KEYS.
 */
export function unsubscribeToken(keys: SigningKeys, email: string): string {
  return `${Buffer.from(email, 'utf8').toString('base64url')}.${keys.sign(PURPOSE + email)}`;
}

/** The address a token names, or null when the token is malformed or no listed key signed it. */
export function readUnsubscribeToken(keys: SigningKeys, token: string): string | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 1024) return null;
  const encoded = token.slice(0, dot);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return null;
  const email = Buffer.from(encoded, 'base64url').toString('utf8');
  return keys.verify(PURPOSE + email, token.slice(dot + 1)) ? email : null;
}
