import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The key ring `cookies` signs session ids with (the interface of Keygrip: `sign` and `index`):
 * HMAC-SHA256, base64url; the first key signs, every key verifies. Keygrip compares signatures by
 * hashing both again with fresh random keys (tsscmp); `crypto.timingSafeEqual` is the same
 * constant-time guarantee without that, and the profile of a session read showed the random bytes
 * and extra HMACs at 13% of the CPU (docs/benchmarks.md).
 */
export class SigningKeys {
  readonly #keys: readonly string[];

  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new Error('SigningKeys: at least one key needed');
    this.#keys = [...keys];
  }

  /** The signature of `data` with the newest key. */
  sign(data: string): string {
    return hmac(data, this.#keys[0] as string);
  }

  /** Which key made `digest` for `data` (0 is the newest), or -1 when none did. */
  index(data: string, digest: string): number {
    const given = Buffer.from(digest, 'utf8');
    for (let i = 0; i < this.#keys.length; i++) {
      const expected = Buffer.from(hmac(data, this.#keys[i] as string), 'utf8');
      if (given.length === expected.length && timingSafeEqual(given, expected)) return i;
    }
    return -1;
  }

  verify(data: string, digest: string): boolean {
    return this.index(data, digest) > -1;
  }
}

function hmac(data: string, key: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}
