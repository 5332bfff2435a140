import { useEffect, useState } from 'react';
import { ApiError, api } from '../../lib/api-client';
import { Link } from '../../lib/router';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeError } from '../signup/describe-error';
import { linkToken } from './link-token';
import { MailLinkLayout } from './mail-link-layout';

type State =
  | { kind: 'working' }
  | { kind: 'done'; email: string }
  | { kind: 'bad-link' }
  | { kind: 'failed'; message: string };

/**
 * Page `/confirm?token=…`, opened from a confirmation mail: confirms at once (the link is the
 * visitor's click) and says what happened.
 */
export function ConfirmPage() {
  useDocumentTitle('Confirm your subscription · Cats Everywhere');
  const [token] = useState(linkToken);
  const [state, setState] = useState<State>(token ? { kind: 'working' } : { kind: 'bad-link' });
  const [attempt, setAttempt] = useState(0);

  // attempt is a dependency on purpose: "Try again" bumps it to post once more.
  useEffect(() => {
    if (!token) return;
    let current = true;
    api.confirm(token).then(
      ({ email }) => current && setState({ kind: 'done', email }),
      (error: unknown) => {
        if (!current) return;
        const badLink =
          error instanceof ApiError &&
          (error.code === 'invalid_token' || error.code === 'invalid_request');
        setState(
          badLink ? { kind: 'bad-link' } : { kind: 'failed', message: describeError(error) },
        );
      },
    );
    return () => {
      current = false;
    };
  }, [token, attempt]);

  switch (state.kind) {
    case 'working':
      return (
        <MailLinkLayout title="Confirming your subscription…" busy>
          <p className="loading">One moment, please.</p>
        </MailLinkLayout>
      );
    case 'done':
      return (
        <MailLinkLayout title="You are on the list!" busy={false}>
          <p>
            Thanks for confirming: <span className="address">{state.email}</span> is on the Cats
            Everywhere list now. Every mail we send has a link to leave it again.
          </p>
          <p>
            <Link href="/" className="button-link">
              Go to the signup page
            </Link>
          </p>
        </MailLinkLayout>
      );
    case 'bad-link':
      return (
        <MailLinkLayout title="This link does not work" busy={false}>
          <p>
            It has expired (links work for 48 hours) or it was not copied completely. Sign up again
            and we will send you a fresh link.
          </p>
          <p>
            <Link href="/" className="button-link">
              Sign up again
            </Link>
          </p>
        </MailLinkLayout>
      );
    case 'failed':
      return (
        <MailLinkLayout title="We could not confirm your subscription" busy={false}>
          <p className="field-error">{state.message}</p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setState({ kind: 'working' });
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </MailLinkLayout>
      );
  }
}
