import { useCallback, useEffect, useState } from 'react';
import { type LoadView, type Notice, PageCard } from '../../components/page-card';
import { SiteHeader } from '../../components/site-header';
import { api } from '../../lib/api-client';
import { useSite } from '../../lib/site';
import { useTexts } from '../../lib/texts';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeError } from './describe-error';
import { SignupForm } from './signup-form';
import { SubscriberCount } from './subscriber-count';
import { ThanksPanel } from './thanks-panel';
import { useSubscriberCount } from './use-subscriber-count';

type View =
  | LoadView
  | { kind: 'form'; email: string }
  | { kind: 'thanks'; email: string; pending: boolean };

/** Page `/`: the signup form, or the thanks panel for a subscribed visitor. */
export function SignupPage() {
  const site = useSite();
  const { t } = useTexts();
  useDocumentTitle(site.name);
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [notice, setNotice] = useState<Notice | null>(null);
  // False on first load (a page should not grab focus); true once a step replaced what had it.
  const [moveFocus, setMoveFocus] = useState(false);
  const [loadAttempt, setLoadAttempt] = useState(0);
  const { count, refresh: refreshCount } = useSubscriberCount();

  // The session decides the view, so a reload or a new tab shows the same state.
  // loadAttempt is a dependency on purpose: the "Try again" button bumps it to ask once more.
  useEffect(() => {
    const controller = new AbortController();
    api.getSession(controller.signal).then(
      (session) => {
        if (controller.signal.aborted) return;
        setView(
          session.email !== null && (session.subscribed || session.pending === true)
            ? { kind: 'thanks', email: session.email, pending: !session.subscribed }
            : { kind: 'form', email: session.email ?? '' },
        );
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setView({ kind: 'load-failed', message: describeError(error, t) });
      },
    );
    return () => controller.abort();
  }, [loadAttempt]);

  const clearNotice = useCallback(() => setNotice(null), []);

  function showForm(next: Notice) {
    setNotice(next);
    setMoveFocus(true);
    setView({ kind: 'form', email: '' });
    refreshCount();
  }

  function retry() {
    setMoveFocus(true);
    setView({ kind: 'loading' });
    setLoadAttempt((n) => n + 1);
  }

  return (
    <div className="page">
      <SiteHeader home name={site.name} tagline={site.tagline} />
      <PageCard view={view} notice={notice} onRetry={retry}>
        {(loaded) =>
          loaded.kind === 'form' ? (
            <>
              <SignupForm
                initialEmail={loaded.email}
                autoFocus={moveFocus}
                onSubmitStart={clearNotice}
                onSignedUp={(email, pending) => {
                  setMoveFocus(true);
                  setView({ kind: 'thanks', email, pending });
                  refreshCount();
                }}
              />
              {site.privacyUrl !== null && (
                <p className="privacy-link">
                  <a href={site.privacyUrl}>{t('privacyLink')}</a>
                </p>
              )}
            </>
          ) : (
            <ThanksPanel
              email={loaded.email}
              pending={loaded.pending}
              autoFocus={moveFocus}
              onRemoved={(email, wasPending) =>
                showForm({
                  tone: 'success',
                  // A pending signup never was on the list: say what did happen.
                  text: t(wasPending ? 'removedPending' : 'removed', { email }),
                })
              }
              onNothingToRemove={(text) => showForm({ tone: 'error', text })}
            />
          )
        }
      </PageCard>
      <footer className="site-footer">
        {site.showCount !== false && <SubscriberCount count={count} />}
      </footer>
    </div>
  );
}
