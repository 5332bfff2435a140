import { useEffect, useState } from 'react';
import { ApiError, api } from '../../lib/api-client';
import { Link } from '../../lib/router';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeError } from '../signup/describe-error';
import { linkToken } from './link-token';
import { MailLinkLayout } from './mail-link-layout';

type State =
  | { kind: 'loading' }
  | { kind: 'ask'; email: string; working: boolean; error: string | null }
  | { kind: 'done'; email: string }
  | { kind: 'bad-link' }
  | { kind: 'load-failed'; message: string };

const isBadLink = (error: unknown) =>
  error instanceof ApiError && (error.code === 'invalid_token' || error.code === 'invalid_request');

/**
 * Page `/unsubscribe?token=…`, from the link in every mail: names the address, and takes it off
 * the list when asked (a button, so that a link scanner opening the page changes nothing).
 */
export function UnsubscribePage() {
  useDocumentTitle('Unsubscribe · Cats Everywhere');
  const [token] = useState(linkToken);
  const [state, setState] = useState<State>(token ? { kind: 'loading' } : { kind: 'bad-link' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    api.readUnsubscribe(token, controller.signal).then(
      ({ email }) => setState({ kind: 'ask', email, working: false, error: null }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState(
          isBadLink(error)
            ? { kind: 'bad-link' }
            : { kind: 'load-failed', message: describeError(error) },
        );
      },
    );
    return () => controller.abort();
  }, [token, attempt]);

  async function unsubscribe(email: string) {
    if (!token) return;
    setState({ kind: 'ask', email, working: true, error: null });
    try {
      await api.unsubscribe(token);
      setState({ kind: 'done', email });
    } catch (error) {
      if (isBadLink(error)) setState({ kind: 'bad-link' });
      else setState({ kind: 'ask', email, working: false, error: describeError(error) });
    }
  }

  switch (state.kind) {
    case 'loading':
      return (
        <MailLinkLayout title="Unsubscribe" busy>
          <p className="loading">Loading…</p>
        </MailLinkLayout>
      );
    case 'ask':
      return (
        <MailLinkLayout title="Leave the list?" busy={state.working}>
          <p>
            Take <span className="address">{state.email}</span> off the Cats Everywhere list? You
            will get no more mail from us.
          </p>
          <button
            type="button"
            className="button"
            disabled={state.working}
            onClick={() => unsubscribe(state.email)}
            aria-describedby={state.error === null ? undefined : 'unsubscribe-error'}
          >
            {state.working ? 'Unsubscribing…' : 'Unsubscribe'}
          </button>
          <p id="unsubscribe-error" className="field-error" role="alert">
            {state.error}
          </p>
        </MailLinkLayout>
      );
    case 'done':
      return (
        <MailLinkLayout title="You are unsubscribed" busy={false}>
          <p>
            <span className="address">{state.email}</span> is off the list. Sorry to see you go; you
            can sign up again at any time.
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
            The unsubscribe link is not valid: it may not have been copied completely. Open it again
            from the most recent mail we sent you.
          </p>
        </MailLinkLayout>
      );
    case 'load-failed':
      return (
        <MailLinkLayout title="Unsubscribe" busy={false}>
          <p className="field-error">{state.message}</p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setState({ kind: 'loading' });
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </MailLinkLayout>
      );
  }
}
