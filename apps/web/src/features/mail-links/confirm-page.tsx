import { useEffect, useState } from 'react';
import { LoadFailed } from '../../components/load-failed';
import { Link } from '../../lib/router';
import { describeFailure, isBadLink, linkToken } from './link-token';
import { mailLinkApi } from './mail-link-api';
import { BAD_LINK, MailLinkLayout } from './mail-link-layout';

type State =
  | { kind: 'working' }
  | { kind: 'done'; email: string }
  | { kind: 'bad-link' }
  | { kind: 'failed'; message: string };

const homeLink = (text: string) => (
  <p>
    <Link href="/" className="button-link">
      {text}
    </Link>
  </p>
);

/**
 * Page `/confirm?token=…`, opened from a confirmation mail: confirms at once (the link is the
 * visitor's click) and says what happened.
 */
export function ConfirmPage() {
  const [token] = useState(linkToken);
  const [state, setState] = useState<State>({ kind: token ? 'working' : 'bad-link' });
  const [attempt, setAttempt] = useState(0);

  // attempt is a dependency on purpose: "Try again" bumps it to post once more.
  useEffect(() => {
    if (!token) return;
    let current = true;
    mailLinkApi.confirm(token).then(
      ({ email }) => current && setState({ kind: 'done', email }),
      (error: unknown) =>
        current &&
        setState(
          isBadLink(error)
            ? { kind: 'bad-link' }
            : { kind: 'failed', message: describeFailure(error) },
        ),
    );
    return () => {
      current = false;
    };
  }, [token, attempt]);

  if (state.kind === 'working') {
    return (
      <MailLinkLayout title="Confirming your subscription…" busy>
        <p className="loading">Loading…</p>
      </MailLinkLayout>
    );
  }
  if (state.kind === 'done') {
    return (
      <MailLinkLayout title="You are on the list!">
        <p>
          <span className="address">{state.email}</span> is on the list now. Every mail we send has
          a link to leave it.
        </p>
        {homeLink('Go to the signup page')}
      </MailLinkLayout>
    );
  }
  if (state.kind === 'bad-link') {
    return (
      <MailLinkLayout title={BAD_LINK}>
        <p>
          It has expired (links work for 48 hours) or was not copied completely. Sign up again for a
          fresh one.
        </p>
        {homeLink('Sign up again')}
      </MailLinkLayout>
    );
  }
  return (
    <MailLinkLayout title="We could not confirm your subscription">
      <LoadFailed
        message={state.message}
        onRetry={() => {
          setState({ kind: 'working' });
          setAttempt((n) => n + 1);
        }}
      />
    </MailLinkLayout>
  );
}
