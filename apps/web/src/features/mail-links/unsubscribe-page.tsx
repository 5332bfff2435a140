import { useEffect, useState } from 'react';
import { LoadFailed } from '../../components/load-failed';
import { Link } from '../../lib/router';
import { describeFailure, isBadLink, linkToken } from './link-token';
import { mailLinkApi } from './mail-link-api';
import { BAD_LINK, MailLinkLayout } from './mail-link-layout';

type State =
  | { kind: 'loading' }
  | { kind: 'ask'; email: string; working?: boolean; error?: string }
  | { kind: 'done'; email: string }
  | { kind: 'bad-link' }
  | { kind: 'load-failed'; message: string };

/**
 * Page `/unsubscribe?token=…`, from the link in every mail: names the address, and takes it off
 * the list when asked (a button, so that a link scanner opening the page changes nothing).
 */
export function UnsubscribePage() {
  const [token] = useState(linkToken);
  const [state, setState] = useState<State>({ kind: token ? 'loading' : 'bad-link' });
  const [attempt, setAttempt] = useState(0);
  const failed = (error: unknown, otherwise: State) =>
    setState(isBadLink(error) ? { kind: 'bad-link' } : otherwise);

  // attempt is a dependency on purpose: "Try again" bumps it to ask once more.
  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    mailLinkApi.readUnsubscribe(token, controller.signal).then(
      ({ email }) => setState({ kind: 'ask', email }),
      (error: unknown) =>
        controller.signal.aborted ||
        failed(error, { kind: 'load-failed', message: describeFailure(error) }),
    );
    return () => controller.abort();
  }, [token, attempt]);

  async function unsubscribe(email: string) {
    setState({ kind: 'ask', email, working: true });
    try {
      await mailLinkApi.unsubscribe(token ?? '');
      setState({ kind: 'done', email });
    } catch (error) {
      failed(error, { kind: 'ask', email, error: describeFailure(error) });
    }
  }

  if (state.kind === 'ask') {
    return (
      <MailLinkLayout title="Leave the list?" busy={state.working}>
        <p>
          Take <span className="address">{state.email}</span> off the list? You will get no more
          mail from us.
        </p>
        <button
          type="button"
          className="button"
          disabled={state.working}
          onClick={() => unsubscribe(state.email)}
          aria-describedby="unsubscribe-error"
        >
          {state.working ? 'Unsubscribing…' : 'Unsubscribe'}
        </button>
        <p id="unsubscribe-error" className="field-error" role="alert">
          {state.error}
        </p>
      </MailLinkLayout>
    );
  }
  if (state.kind === 'done') {
    return (
      <MailLinkLayout title="You are unsubscribed">
        <p>
          <span className="address">{state.email}</span> is off the list. Changed your mind? You can
          sign up again at any time.
        </p>
        <p>
          <Link href="/" className="button-link">
            Sign up again
          </Link>
        </p>
      </MailLinkLayout>
    );
  }
  if (state.kind === 'bad-link') {
    return (
      <MailLinkLayout title={BAD_LINK}>
        <p>It may not have been copied completely: open it again from the mail.</p>
      </MailLinkLayout>
    );
  }
  return (
    <MailLinkLayout title="Unsubscribe" busy={state.kind === 'loading'}>
      {state.kind === 'loading' ? (
        <p className="loading">Loading…</p>
      ) : (
        <LoadFailed
          message={state.message}
          onRetry={() => {
            setState({ kind: 'loading' });
            setAttempt((n) => n + 1);
          }}
        />
      )}
    </MailLinkLayout>
  );
}
