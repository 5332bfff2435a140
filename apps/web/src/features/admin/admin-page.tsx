import { useCallback, useEffect, useState } from 'react';
import { type LoadView, type Notice, PageCard } from '../../components/page-card';
import { SiteMark } from '../../components/site-header';
import { api } from '../../lib/api-client';
import { useSite } from '../../lib/site';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeAdminError, SESSION_ENDED } from './describe-admin-error';
import { LoginForm } from './login-form';
import { SubscriberList } from './subscriber-list';
import './admin.css';

type View = LoadView | { kind: 'disabled' } | { kind: 'login' } | { kind: 'list' };

/**
 * Page `/admin`: the login form, or the subscriber list once the session is admin; on a server
 * without ADMIN_PASSWORD, a notice saying so before anyone types a password.
 */
export function AdminPage() {
  const site = useSite();
  useDocumentTitle(`Admin · ${site.name}`);
  const [view, setView] = useState<View>(
    site.adminEnabled ? { kind: 'loading' } : { kind: 'disabled' },
  );
  const [notice, setNotice] = useState<Notice | null>(null);
  // False on first load (a page should not grab focus); true once a step replaced what had it.
  const [moveFocus, setMoveFocus] = useState(false);
  const [loadAttempt, setLoadAttempt] = useState(0);

  // The session says whether this browser is already logged in (e.g. after a reload).
  // loadAttempt is a dependency on purpose: "Try again" bumps it to ask once more.
  useEffect(() => {
    if (!site.adminEnabled) return;
    const controller = new AbortController();
    api.getSession(controller.signal).then(
      (session) => {
        if (!controller.signal.aborted) setView({ kind: session.admin ? 'list' : 'login' });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setView({ kind: 'load-failed', message: describeAdminError(error) });
        }
      },
    );
    return () => controller.abort();
  }, [loadAttempt, site.adminEnabled]);

  const clearNotice = useCallback(() => setNotice(null), []);
  const showLogin = useCallback((next: Notice) => {
    setNotice(next);
    setMoveFocus(true);
    setView({ kind: 'login' });
  }, []);
  const sessionEnded = useCallback(
    () => showLogin({ tone: 'error', text: SESSION_ENDED }),
    [showLogin],
  );
  const loggedOut = useCallback(
    () => showLogin({ tone: 'success', text: 'You have logged out.' }),
    [showLogin],
  );

  const retry = useCallback(() => {
    setMoveFocus(true);
    setView({ kind: 'loading' });
    setLoadAttempt((n) => n + 1);
  }, []);

  return (
    <div className={`page admin-page${view.kind === 'list' ? ' admin-page-wide' : ''}`}>
      <header className="admin-header">
        <SiteMark name={site.name} logoUrl={site.logoUrl} />
        <h1>
          {site.name} <span className="admin-header-area">admin</span>
        </h1>
      </header>
      <PageCard view={view} notice={notice} onRetry={retry}>
        {(loaded) =>
          loaded.kind === 'disabled' ? (
            <section className="admin-disabled" aria-labelledby="admin-disabled-heading">
              <h2 id="admin-disabled-heading">Admin is disabled on this server</h2>
              <p>
                To turn it on, set <code>ADMIN_PASSWORD</code> (at least 8 characters) where the
                server runs, and restart it.
              </p>
            </section>
          ) : loaded.kind === 'login' ? (
            <LoginForm
              autoFocus={moveFocus}
              onSubmitStart={clearNotice}
              onLoggedIn={() => {
                setNotice(null);
                setMoveFocus(true);
                setView({ kind: 'list' });
              }}
            />
          ) : (
            <SubscriberList
              autoFocus={moveFocus}
              onUnauthorized={sessionEnded}
              onLoggedOut={loggedOut}
            />
          )
        }
      </PageCard>
    </div>
  );
}
