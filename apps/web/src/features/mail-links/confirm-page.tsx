import { useEffect, useState } from 'react';
import { withAddress } from '../../components/breakable-address';
import { LoadFailed } from '../../components/load-failed';
import { Link } from '../../lib/router';
import { useTexts } from '../../lib/texts';
import { describeFailure, isBadLink, linkToken } from './link-token';
import { mailLinkApi } from './mail-link-api';
import { MailLinkLayout } from './mail-link-layout';

type State =
  | { kind: 'working' }
  | { kind: 'done'; email: string }
  | { kind: 'bad-link' }
  | { kind: 'failed'; message: string };

/** The address in a sentence, as the pages behind links show it. */
export const plainAddress = (email: string) => <span className="address">{email}</span>;

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
  const { t } = useTexts();

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
            : { kind: 'failed', message: describeFailure(error, t) },
        ),
    );
    return () => {
      current = false;
    };
  }, [token, attempt]);

  if (state.kind === 'working') {
    return (
      <MailLinkLayout title={t('confirmWorking')} busy>
        <p className="loading">{t('loading')}</p>
      </MailLinkLayout>
    );
  }
  if (state.kind === 'done') {
    return (
      <MailLinkLayout title={t('confirmDone')}>
        <p>{withAddress(t('confirmDoneText'), state.email, plainAddress)}</p>
        {homeLink(t('goHome'))}
      </MailLinkLayout>
    );
  }
  if (state.kind === 'bad-link') {
    return (
      <MailLinkLayout title={t('badLink')}>
        <p>{t('confirmBadLinkText')}</p>
        {homeLink(t('signUpAgain'))}
      </MailLinkLayout>
    );
  }
  return (
    <MailLinkLayout title={t('confirmFailed')}>
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
