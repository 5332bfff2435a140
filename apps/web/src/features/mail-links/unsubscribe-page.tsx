import { useEffect, useState } from 'react';
import { withAddress } from '../../components/breakable-address';
import { LoadFailed } from '../../components/load-failed';
import { Link } from '../../lib/router';
import { useTexts } from '../../lib/texts';
import { plainAddress } from './confirm-page';
import { describeFailure, isBadLink, linkToken } from './link-token';
import { mailLinkApi } from './mail-link-api';
import { MailLinkLayout } from './mail-link-layout';

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
  const { t } = useTexts();
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
        failed(error, { kind: 'load-failed', message: describeFailure(error, t) }),
    );
    return () => controller.abort();
  }, [token, attempt]);

  async function unsubscribe(email: string) {
    setState({ kind: 'ask', email, working: true });
    try {
      // An announcement's link names it, so that the leaving is counted for it.
      const announcement = new URLSearchParams(window.location.search).get('announcement');
      await mailLinkApi.unsubscribe(token ?? '', announcement ?? undefined);
      setState({ kind: 'done', email });
    } catch (error) {
      failed(error, { kind: 'ask', email, error: describeFailure(error, t) });
    }
  }

  if (state.kind === 'ask') {
    return (
      <MailLinkLayout title={t('unsubscribeAsk')} busy={state.working}>
        <p>{withAddress(t('unsubscribeAskText'), state.email, plainAddress)}</p>
        <button
          type="button"
          className="button"
          disabled={state.working}
          onClick={() => unsubscribe(state.email)}
          aria-describedby="unsubscribe-error"
        >
          {state.working ? t('unsubscribing') : t('unsubscribe')}
        </button>
        <p id="unsubscribe-error" className="field-error" role="alert">
          {state.error}
        </p>
      </MailLinkLayout>
    );
  }
  if (state.kind === 'done') {
    return (
      <MailLinkLayout title={t('unsubscribeDone')}>
        <p>{withAddress(t('unsubscribeDoneText'), state.email, plainAddress)}</p>
        <p>
          <Link href="/" className="button-link">
            {t('signUpAgain')}
          </Link>
        </p>
      </MailLinkLayout>
    );
  }
  if (state.kind === 'bad-link') {
    return (
      <MailLinkLayout title={t('badLink')}>
        <p>{t('unsubscribeBadLinkText')}</p>
      </MailLinkLayout>
    );
  }
  return (
    <MailLinkLayout title={t('unsubscribeTitle')} busy={state.kind === 'loading'}>
      {state.kind === 'loading' ? (
        <p className="loading">{t('loading')}</p>
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
