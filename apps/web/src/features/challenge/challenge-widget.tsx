// The signup challenge's widget (ALTCHA), loaded only when the server has the challenge on
// (GET /api/site `challenge`), so the signup page's first load does not carry it.
//
// `altcha/external` is the build without inline styles and without workers made from `blob:`
// URLs: its stylesheet and its PBKDF2 worker are files of their own here, served from the page's
// origin, so the pages' Content-Security-Policy (`script-src 'self'`, `style-src 'self'`, no
// `blob:`, no `'unsafe-inline'`) needs no exception for it.
import 'altcha/external';
import 'altcha/altcha.css';
import { challengeEndpoints } from '@catlist/contracts';
import type {} from 'altcha/types/react';
import Pbkdf2Worker from 'altcha/workers/pbkdf2?worker';
import { type RefObject, useEffect, useImperativeHandle, useRef } from 'react';
import { endpointUrl } from '../../lib/api-client';
import './challenge-widget.css';

// The one algorithm the API's challenges use (apps/api/src/challenge/signup-challenge.ts).
$altcha.algorithms.set('PBKDF2/SHA-256', () => new Pbkdf2Worker());

/** What the signup form asks of the widget. */
export interface ChallengeHandle {
  /**
   * The solved challenge to send as `altcha`: at once when the widget has solved it, else once it
   * has (starting it if it had not started); null when it failed (the widget says so).
   */
  solution(): Promise<string | null>;
  /** Forgets the solution (the server refused it: spent, expired): the next one is solved anew. */
  reset(): void;
}

interface StateChange {
  state: string;
  payload?: string;
}

/**
 * ALTCHA's widget in the signup form. It fetches GET /api/challenge and solves it in Web Workers
 * as soon as the visitor focuses the form, so that it is usually done by the time they submit.
 */
export default function ChallengeWidget({ handle }: { handle: RefObject<ChallengeHandle | null> }) {
  const widget = useRef<HTMLElementTagNameMap['altcha-widget']>(null);
  const solved = useRef<string | null>(null);
  /** Submissions waiting for the solving under way. */
  const waiting = useRef<((payload: string | null) => void)[]>([]);

  useEffect(() => {
    const element = widget.current;
    if (!element) return;
    const onStateChange = (event: Event) => {
      const { state, payload } = (event as CustomEvent<StateChange>).detail;
      if (state === 'verifying' || state === 'unverified') {
        solved.current = null;
        return;
      }
      // verified (with its payload), error or expired: whoever waits gets the outcome.
      solved.current = state === 'verified' ? (payload ?? null) : null;
      for (const resolve of waiting.current.splice(0)) resolve(solved.current);
    };
    element.addEventListener('statechange', onStateChange);
    return () => element.removeEventListener('statechange', onStateChange);
  }, []);

  useImperativeHandle(handle, () => ({
    async solution() {
      const element = widget.current;
      if (solved.current !== null || !element) return solved.current;
      if (element.getState() === 'verifying') {
        return new Promise((resolve) => waiting.current.push(resolve));
      }
      return (await element.verify())?.payload ?? null;
    },
    reset() {
      solved.current = null;
      widget.current?.reset();
    },
  }));

  return (
    <div className="challenge">
      <altcha-widget
        ref={widget}
        challenge={endpointUrl(challengeEndpoints.getChallenge)}
        auto="onfocus"
      />
    </div>
  );
}
