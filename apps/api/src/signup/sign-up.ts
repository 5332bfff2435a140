import {
  checkEmail,
  EMAIL_MESSAGES,
  EMAIL_PROBLEM_TEXTS,
  type SiteResponse,
} from '@catlist/contracts';
import type Koa from 'koa';
import type { SignupChallenge } from '../challenge/signup-challenge.js';
import {
  CONFIRMATION_VALID_MS,
  type ConfirmationStore,
} from '../confirmation/confirmation-store.js';
import type { Executor } from '../db/schema.js';
import { ApiError } from '../http/api-error.js';
import { requestLanguage } from '../http/language.js';
import { newOwnerToken } from '../stores/owner-token.js';
import type { SubscriberStore } from '../stores/subscriber-store.js';

/** Confirmation by email, when it is on (MAIL_URL set). */
export interface ConfirmationDeps {
  store: ConfirmationStore;
  /** A mail was queued: the outbox drainer should look now. */
  onQueued: () => void;
}

/** What a signup takes, whichever route it came by (JSON or an HTML form). */
export interface SignupInput {
  email: string;
  /** The honeypot: humans leave it empty. */
  website?: string | undefined;
  /** A proof-of-work solution (the widget's `altcha` field), when the challenge is on. */
  altcha?: string | undefined;
}

/** What became of a signup: the normalised address, and whether it waits for its link. */
export interface SignupResult {
  email: string;
  pending: boolean;
}

/** The one signup, which POST /api/signup and POST /subscribe both run. */
export type SignUp = (ctx: Koa.Context, input: SignupInput) => Promise<SignupResult>;

export interface SignUpDeps {
  subscribers: SubscriberStore;
  /** Present when confirmation by email is on. */
  confirmation?: ConfirmationDeps | undefined;
  /** The signup challenge (proof of work, SIGNUP_CHALLENGE), when it is on. */
  challenge?: Pick<SignupChallenge, 'spend'> | undefined;
  /** The site's languages: the mail goes in the one the request negotiates, as its pages do. */
  site: Pick<SiteResponse, 'languages' | 'defaultLanguage'>;
  now: () => number;
}

/**
 * Returns the signup both routes run (docs/http-api.md, POST /api/signup): the challenge (if
 * any), normalisation, the honeypot, ownership, confirmation by email with its mail cap, and a
 * new session id. It needs the session and the request's transaction (`ctx.state.transaction`,
 * http/in-one-transaction.ts); the routes mount the rate limit and the transaction before it.
 * `invalid_email` (and the challenge's error) are thrown as ApiErrors before anything changes.
 */
export function createSignUp({
  subscribers,
  confirmation,
  challenge,
  site,
  now,
}: SignUpDeps): SignUp {
  /**
   * Puts `email` forward for the list on behalf of the session holding `token`, and says whether
   * the session keeps the token. Without confirmation the address joins at once, and the token
   * owns it only if this signup is what put it there. With confirmation a mail goes out (a link,
   * or "you are on the list already") in `language`, and the token becomes an owner when the
   * link is opened.
   */
  async function offer(
    email: string,
    token: string,
    language: string,
    db?: Executor,
  ): Promise<boolean> {
    if (!confirmation) return subscribers.add(email, now(), token, 'signup', db);
    const kind = (await subscribers.has(email, db)) ? 'already-subscribed' : 'confirm';
    // Over the cap (3 mails a day per address) nothing is queued, and the visitor cannot tell.
    if (await confirmation.store.request(email, kind, token, now(), language, db))
      confirmation.onQueued();
    return true;
  }

  return async function signUp(ctx, input) {
    // The challenge is spent in the signup's transaction: a signup refused later leaves it unspent.
    if (challenge && !(await challenge.spend(input.altcha, ctx.state.transaction))) {
      throw new ApiError(400, 'challenge_failed');
    }
    const checked = checkEmail(input.email);
    if (!checked.ok) {
      throw new ApiError(400, 'invalid_email', {
        message: EMAIL_MESSAGES[checked.problem],
        text: EMAIL_PROBLEM_TEXTS[checked.problem],
      });
    }
    const { email } = checked;
    const session = ctx.session;
    if (!session) throw new Error('session middleware missing');
    // The honeypot filled in: nothing joins the list, but the bot must not be able to tell, so
    // the answer, the cookie and later session reads are those of a real signup.
    const caught = input.website !== undefined && input.website !== '';
    if (caught) {
      delete session.owner;
      session.decoy = true;
    } else {
      // Signing up the address this session already owns keeps its token; any other owner token
      // is new. Whether the session keeps it: see `offer`.
      const known = session.email === email && !session.decoy ? session.owner : undefined;
      const token = known ?? newOwnerToken();
      // The mail speaks the language this request's pages are in (cookie, Accept-Language).
      const language = requestLanguage(ctx, site);
      if (await offer(email, token, language, ctx.state.transaction)) session.owner = token;
      else delete session.owner;
      delete session.decoy;
    }
    session.email = email;
    if (confirmation) session.pending = now() + CONFIRMATION_VALID_MS;
    // A new session id: a cookie planted in this browser before the signup (session fixation)
    // can neither read nor remove what it signs up. A session made in this request is new already.
    if (!session.isNew) await session.regenerate();
    // The same result in every case (new, known, caught, over the mail cap).
    return { email, pending: confirmation !== undefined };
  };
}
