import { createHash, randomBytes } from 'node:crypto';

const OWNER_TOKEN_BYTES = 32;

/**
 * A new owner token: 256 random bits, base64url. The session that put an address on the list
 * keeps it (server side, in its data); the row keeps only its hash (`hashOwnerToken`), so whoever
 * reads the list table learns nothing that proves ownership.
 */
export function newOwnerToken(): string {
  return randomBytes(OWNER_TOKEN_BYTES).toString('base64url');
}

/** What the list stores of an owner token: its SHA-256, base64url. */
export function hashOwnerToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
