import { useEffect, useRef } from 'react';
import { SiteHeader } from '../../components/site-header';
import { Link, usePathname } from '../../lib/router';
import { useSite } from '../../lib/site';
import { useTexts } from '../../lib/texts';
import { useDocumentTitle } from '../../lib/use-document-title';

/** `text` with the path, as code, where its `{path}` stands. */
function withPath(text: string, path: string) {
  const [before, after = ''] = text.split('{path}');
  return (
    <>
      {before}
      <code className="path">{path}</code>
      {after}
    </>
  );
}

/** Shown for any path the app has no page for. */
export function NotFoundPage() {
  const path = usePathname();
  const heading = useRef<HTMLHeadingElement>(null);
  const site = useSite();
  const { t } = useTexts();
  useDocumentTitle(`${t('notFoundTitle')} · ${site.name}`);

  // After an in-app navigation, start reading at the new page, not wherever focus was.
  useEffect(() => {
    if (document.activeElement !== document.body) heading.current?.focus();
  }, []);

  return (
    <div className="page">
      <SiteHeader name={site.name} />
      <main className="card not-found">
        <h1 ref={heading} tabIndex={-1}>
          {t('notFoundTitle')}
        </h1>
        <p>{withPath(t('notFoundText'), path)}</p>
        <p>
          <Link href="/" className="button-link">
            {t('goHome')}
          </Link>
        </p>
      </main>
    </div>
  );
}
