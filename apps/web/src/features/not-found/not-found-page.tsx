import { useEffect, useRef } from 'react';
import { SiteHeader } from '../../components/site-header';
import { Link, usePathname } from '../../lib/router';
import { useSite } from '../../lib/site';
import { useDocumentTitle } from '../../lib/use-document-title';

/** Shown for any path the app has no page for. */
export function NotFoundPage() {
  const path = usePathname();
  const heading = useRef<HTMLHeadingElement>(null);
  const site = useSite();
  useDocumentTitle(`Page not found · ${site.name}`);

  // After an in-app navigation, start reading at the new page, not wherever focus was.
  useEffect(() => {
    if (document.activeElement !== document.body) heading.current?.focus();
  }, []);

  return (
    <div className="page">
      <SiteHeader name={site.name} />
      <main className="card not-found">
        <h1 ref={heading} tabIndex={-1}>
          Page not found
        </h1>
        <p>
          There is no page at <code className="path">{path}</code>. Maybe a cat walked over the
          keyboard.
        </p>
        <p>
          <Link href="/" className="button-link">
            Go to the signup page
          </Link>
        </p>
      </main>
    </div>
  );
}
