import { hkdfSync } from 'node:crypto';
import type { ChallengeResponse } from '@catlist/contracts';
import { createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import * as z from 'zod/mini';
import type { DatabaseHandle } from '../db/open-database.js';
import type { Executor } from '../db/schema.js';

/**
 * The most keys a browser derives by default (SIGNUP_CHALLENGE_DIFFICULTY): 7500 on average, about
 * 1.5 s in Chromium on two cores (a Web Worker per core).
 */
export const DEFAULT_CHALLENGE_DIFFICULTY = 10_000;
/** How long a challenge may take to come back solved by default (SIGNUP_CHALLENGE_VALID_MS). */
export const DEFAULT_CHALLENGE_VALID_MS = 10 * 60 * 1000;

/**
 * PBKDF2, ALTCHA's default: browsers run it natively (WebCrypto), so a person's browser pays
 * about what a bot's native code pays per key, where one SHA-256 per key would favour the bot.
 */
const ALGORITHM = 'PBKDF2/SHA-256';
/** PBKDF2 iterations per key: about 0.25 ms on a server core, a little more in a browser. */
const COST = 1000;

/**
 * The proof-of-work challenge of the signup form (ALTCHA, self-hosted; docs/http-api.md, The
 * signup challenge). The challenge is stateless (HMAC-signed, with its expiry inside) until a
 * solution comes back; spending it is a row in `spent_challenges`, so that each challenge buys
 * one signup on every instance sharing the database.
 */
export interface SignupChallenge {
  /** A new challenge, as GET /api/challenge answers it. */
  issue(): Promise<ChallengeResponse>;
  /**
   * Whether `payload` (the widget's base64 JSON) solves a challenge this server issued, not yet
   * expired and not spent; if so it is spent now, in `db` (the signup's transaction, so that a
   * signup that fails leaves it unspent). False, never an error, for a payload that is missing,
   * garbled, wrong, expired, signed with another key or spent already.
   */
  spend(payload: string | undefined, db?: Executor): Promise<boolean>;
  /** Forgets spent challenges that have expired (they are refused as expired anyway). */
  purgeExpired(now: number): Promise<number>;
}

export interface SignupChallengeSettings {
  /** SESSION_KEYS, newest first: the first signs challenges, every one verifies. */
  keys: readonly string[];
  /** The counter is hidden at random between half of this and this (SIGNUP_CHALLENGE_DIFFICULTY). */
  difficulty: number;
  /** SIGNUP_CHALLENGE_VALID_MS. */
  validMs: number;
  now: () => number;
}

/** The two HMAC secrets of one session key: challenge signatures, and solution-key signatures. */
interface Secrets {
  hmacSignatureSecret: string;
  hmacKeySignatureSecret: string;
}

/**
 * Secrets of their own, derived from a session key (HKDF-SHA256), so that every instance with
 * the same SESSION_KEYS issues and accepts the same challenges, and a challenge's HMAC is never
 * a cookie signature's.
 */
function secretsOf(key: string): Secrets {
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', key, '', info, 32)).toString('hex');
  return {
    hmacSignatureSecret: derive('catlist signup challenge'),
    hmacKeySignatureSecret: derive('catlist signup challenge key'),
  };
}

/**
 * The widget's payload: base64 of `{challenge: {parameters, signature}, solution}`. Only what
 * this code reads is checked here; altcha-lib checks the rest, the signature over every
 * parameter first (extra keys are kept, so that they count in it).
 */
const Payload = z.object({
  challenge: z.object({
    parameters: z.looseObject({ expiresAt: z.number(), nonce: z.string() }),
    signature: z.string().check(z.maxLength(256)),
  }),
  solution: z.object({ counter: z.number(), derivedKey: z.string() }),
});

function parsePayload(payload: string): z.output<typeof Payload> | null {
  try {
    const parsed = z.safeParse(Payload, JSON.parse(Buffer.from(payload, 'base64').toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The signup challenge over `database`'s `spent_challenges` table (SQLite or PostgreSQL). */
export function createSignupChallenge(
  database: Pick<DatabaseHandle, 'db'>,
  { keys, difficulty, validMs, now }: SignupChallengeSettings,
): SignupChallenge {
  if (keys.length === 0) throw new Error('createSignupChallenge: at least one key needed');
  const { db } = database;
  const ring = keys.map(secretsOf);
  const signing = ring[0] as Secrets;

  /** Whether the solution is right for a challenge signed with any key of the ring. */
  async function solves(payload: z.output<typeof Payload>): Promise<boolean> {
    for (const secrets of ring) {
      const result = await verifySolution({
        challenge: payload.challenge as ChallengeResponse,
        solution: payload.solution,
        deriveKey,
        ...secrets,
      });
      if (!result.invalidSignature) return result.verified;
    }
    return false;
  }

  return {
    async issue() {
      const challenge = await createChallenge({
        algorithm: ALGORITHM,
        cost: COST,
        // Deterministic mode: the server picks the counter that solves it (at least half the
        // difficulty, so no challenge is nearly free) and signs the key it gives, so checking a
        // solution is one HMAC, not a derivation.
        counter: randomInt(difficulty, Math.ceil(difficulty / 2)),
        deriveKey,
        expiresAt: Math.floor((now() + validMs) / 1000),
        ...signing,
      });
      return challenge as ChallengeResponse;
    },

    async spend(payload, executor = db) {
      if (payload === undefined || payload === '') return false;
      const parsed = parsePayload(payload);
      if (parsed === null) return false;
      const expiresAt = parsed.challenge.parameters.expiresAt * 1000;
      // altcha-lib checks the expiry against the system clock; this against the app's.
      if (expiresAt <= now()) return false;
      try {
        if (!(await solves(parsed))) return false;
      } catch {
        // A payload altcha-lib cannot even read (it checks the signature before the rest).
        return false;
      }
      // Spent by the insert alone: of two signups with one solution, on one instance or two,
      // exactly one inserts the row (the other waits for its commit, then inserts nothing).
      const spent = await executor
        .insertInto('spent_challenges')
        .values({ signature: parsed.challenge.signature, expires_at: expiresAt })
        .onConflict((conflict) => conflict.column('signature').doNothing())
        .returning('signature')
        .executeTakeFirst();
      return spent !== undefined;
    },

    async purgeExpired(at) {
      const result = await db
        .deleteFrom('spent_challenges')
        .where('expires_at', '<=', at)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
