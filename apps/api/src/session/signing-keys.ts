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

  /**
   * 0 when any key made `digest` for `data`, -1 when none did. Keygrip answers which key (0 is
   * the newest), and `cookies` then re-signs on its own, writing a bare `sid.sig` without the
   * session cookie's Expires and SameSite: after a browser restart the visitor's session was gone.
   * Reporting 0 leaves re-signing to the session's next save (renewal), with every attribute.
   */
  index(data: string, digest: string): number {
    const given = Buffer.from(digest, 'utf8');
    for (const key of this.#keys) {
      const expected = Buffer.from(hmac(data, key), 'utf8');
      if (given.length === expected.length && timingSafeEqual(given, expected)) return 0;
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
