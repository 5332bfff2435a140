import { contract } from '@catlist/contracts';
import type Koa from 'koa';
import type { SignupChallenge } from '../challenge/signup-challenge.js';
import type { BindRoute } from './bind-route.js';

export interface ChallengeRoutesDeps {
  /** Absent when the signup challenge is off: the route then answers `404 not_found` alone. */
  challenge: SignupChallenge | undefined;
  /** Challenges per client per minute: each costs the server one key derivation. */
  challengeLimit: Koa.Middleware;
}

/** GET /api/challenge: a proof-of-work challenge for the signup form (docs/http-api.md). */
export function challengeRoutes(
  bind: BindRoute,
  { challenge, challengeLimit }: ChallengeRoutesDeps,
): void {
  bind(contract.getChallenge, {
    off: challenge === undefined,
    use: [challengeLimit],
    async handler() {
      if (!challenge) throw new Error('challenge route reached with the challenge off');
      // Every API answer is `no-store` already (http/api-headers.ts): a challenge is one-time.
      return { status: 200, body: await challenge.issue() };
    },
  });
}
