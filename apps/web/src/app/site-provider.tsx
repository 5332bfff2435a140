import type { SiteResponse } from '@catlist/contracts';
import { type ReactNode, useEffect, useState } from 'react';
import { LoadFailed } from '../components/load-failed';
import { ApiError, api } from '../lib/api-client';
import { readServedSite, SiteContext } from '../lib/site';

const FALLBACK = 'Something went wrong. Please try again.';

/**
 * Gives every page the site's branding: from the page the server served (no request, right for
 * the first paint), else from GET /api/site (dev server, SPA hosted elsewhere) before any page.
 */
export function SiteProvider({ children }: { children: ReactNode }) {
  const [site, setSite] = useState<SiteResponse | null>(readServedSite);
  const [failure, setFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // attempt is a dependency on purpose: "Try again" bumps it to ask once more.
  useEffect(() => {
    if (site !== null) return;
    const controller = new AbortController();
    api.getSite(controller.signal).then(
      (loaded) => {
        if (!controller.signal.aborted) setSite(loaded);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setFailure(error instanceof ApiError ? error.message || FALLBACK : FALLBACK);
      },
    );
    return () => controller.abort();
  }, [site, attempt]);

  if (site !== null) return <SiteContext.Provider value={site}>{children}</SiteContext.Provider>;
  if (failure === null) return <p className="page loading">Loading…</p>;
  return (
    <main className="page">
      <div className="card">
        <LoadFailed
          message={failure}
          onRetry={() => {
            setFailure(null);
            setAttempt((n) => n + 1);
          }}
        />
      </div>
    </main>
  );
}
