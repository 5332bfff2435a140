import type { SiteResponse, TextsResponse } from '@catlist/contracts';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { LoadFailed } from '../components/load-failed';
import { api } from '../lib/api-client';
import { readServedSite, SiteContext } from '../lib/site';
import { readServedTexts, type Texts, TextsContext, translate } from '../lib/texts';

// Before any texts have arrived there is no language to speak: these few words are the only
// ones in the code (the dev server, a static host, with the API down). GET /api/site and
// GET /api/texts need no database: whatever failed, the API did not answer as it should.
const UNREACHABLE = 'The API is not reachable right now. Please try again in a moment.';
const RETRY = 'Try again';

const loadTextsModule = () => import('../lib/load-texts');

/**
 * Gives every page the site's branding and the texts of its language: from the page the server
 * served (no request, right for the first paint), else from GET /api/site and GET /api/texts
 * (dev server, SPA hosted elsewhere) before any page. `<html lang>` follows the texts.
 */
export function SiteProvider({ children }: { children: ReactNode }) {
  const [site, setSite] = useState<SiteResponse | null>(readServedSite);
  const [texts, setTexts] = useState<TextsResponse | null>(readServedTexts);
  const [failure, setFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // attempt is a dependency on purpose: "Try again" bumps it to ask once more.
  useEffect(() => {
    if (site !== null && texts !== null) return;
    const controller = new AbortController();
    Promise.all([
      site ?? api.getSite(controller.signal),
      texts ?? loadTextsModule().then(({ loadTexts }) => loadTexts()),
    ]).then(
      ([loadedSite, loadedTexts]) => {
        if (controller.signal.aborted) return;
        setSite(loadedSite);
        setTexts(loadedTexts);
      },
      () => {
        if (!controller.signal.aborted) setFailure(UNREACHABLE);
      },
    );
    return () => controller.abort();
  }, [site, texts, attempt]);

  useEffect(() => {
    if (texts !== null) document.documentElement.lang = texts.lang;
  }, [texts]);

  const setLanguage = useCallback(async (lang: string) => {
    const { loadTexts, rememberLanguage } = await loadTextsModule();
    const loaded = await loadTexts(lang);
    rememberLanguage(loaded.lang);
    setTexts(loaded);
  }, []);

  const value = useMemo<Texts | null>(
    () => (texts === null ? null : { lang: texts.lang, t: translate(texts), setLanguage }),
    [texts, setLanguage],
  );

  if (site !== null && value !== null) {
    return (
      <SiteContext.Provider value={site}>
        <TextsContext.Provider value={value}>{children}</TextsContext.Provider>
      </SiteContext.Provider>
    );
  }
  if (failure === null) return <p className="page loading">…</p>;
  return (
    <main className="page">
      <div className="card">
        <LoadFailed
          message={failure}
          retryLabel={RETRY}
          onRetry={() => {
            setFailure(null);
            setAttempt((n) => n + 1);
          }}
        />
      </div>
    </main>
  );
}
