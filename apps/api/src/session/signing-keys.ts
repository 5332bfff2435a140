import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signatures remembered as verified (one per live session cookie in use; see `index`). */
export const VERIFIED_SIGNATURES = 20_000;

/**
 * The key ring `cookies` signs session ids with (Koa's `app.keys`; the interface of Keygrip: `sign`
 * and `index`): HMAC-SHA256, base64url; the first key signs, every key verifies. It remembers the
 * signatures it has verified, so a returning visitor's cookie costs a string comparison instead of
 * an HMAC per key (docs/benchmarks.md, "Where the time goes").
 */
export class SigningKeys {
  readonly #keys: readonly string[];
  readonly #capacity: number;
  /** Signed data (`sid=<id>`) → the signature that verified it; oldest first. */
  readonly #verified = new Map<string, string>();

  constructor(keys: readonly string[], { remember = VERIFIED_SIGNATURES } = {}) {
    if (keys.length === 0) throw new Error('SigningKeys: at least one key needed');
    this.#keys = [...keys];
    this.#capacity = remember;
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
   *
   * A signature verified before is recognised by comparing it, in constant time, with the one
   * remembered for `data`; any other is checked with the keys. Only verified signatures are
   * remembered, so forged cookies cannot fill the memory, and what is remembered stays exactly
   * what the keys would say for as long as this key ring lives (a key change builds a new one).
   */
  index(data: string, digest: string): number {
    const known = this.#verified.get(data);
    if (known !== undefined && equal(known, digest)) return 0;
    for (const key of this.#keys) {
      if (equal(hmac(data, key), digest)) {
        this.#remember(data, digest);
        return 0;
      }
    }
    return -1;
  }

  verify(data: string, digest: string): boolean {
    return this.index(data, digest) > -1;
  }

  #remember(data: string, digest: string): void {
    if (this.#capacity === 0) return;
    if (this.#verified.size >= this.#capacity && !this.#verified.has(data)) {
      const oldest = this.#verified.keys().next().value;
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
    this.#verified.set(data, digest);
  }
}

function hmac(data: string, key: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

/** Constant-time string equality (timingSafeEqual needs equal lengths; the length is no secret). */
function equal(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
