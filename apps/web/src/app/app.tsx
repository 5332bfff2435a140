import { normalizePath, pageAt } from '@catlist/contracts';
import { Suspense } from 'react';
import { LanguageChooser } from '../components/language-chooser';
import { NotFoundPage } from '../features/not-found/not-found-page';
import { usePathname } from '../lib/router';
import { useTexts } from '../lib/texts';
import { PageErrorBoundary } from './page-error-boundary';
import { routes } from './routes';

/** Picks the page for the current path. */
export function App() {
  const path = normalizePath(usePathname());
  const page = pageAt(path);
  const { t } = useTexts();
  const Page = page === null ? NotFoundPage : routes[page];
  // The key gives each page fresh state when the path changes; Suspense covers lazy pages.
  return (
    <PageErrorBoundary key={path}>
      <Suspense fallback={<p className="page loading">{t('loading')}</p>}>
        <Page />
      </Suspense>
      {/* After the page, so the keyboard reaches the page's own task first; not on the admin
          page, which is in English for now. */}
      {page !== '/admin' && <LanguageChooser />}
    </PageErrorBoundary>
  );
}
