import { type ReactNode, useEffect, useRef } from 'react';
import { SiteHeader } from '../../components/site-header';
import { useSite } from '../../lib/site';
import { useDocumentTitle } from '../../lib/use-document-title';

interface MailLinkLayoutProps {
  /** The state's heading, read first by a screen reader when the state changes. */
  title: string;
  /** Whether the page is still working (aria-busy). */
  busy?: boolean | undefined;
  children: ReactNode;
}

/**
 * The frame of the pages behind links in mails: the site header, then one card whose heading
 * takes focus whenever the state changes, so a screen reader announces what happened. The tab's
 * title follows the heading, so it says what happened too ("You are on the list!", not the
 * "Confirm your subscription" of before).
 */
export function MailLinkLayout({ title, busy = false, children }: MailLinkLayoutProps) {
  const site = useSite();
  useDocumentTitle(`${title} · ${site.name}`);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!busy) heading.current?.focus();
  }, [title, busy]);
  return (
    <div className="page">
      <SiteHeader name={site.name} />
      <main className="card mail-link" aria-busy={busy}>
        <h1 ref={heading} tabIndex={-1} className="thanks-title">
          {title}
        </h1>
        {children}
      </main>
    </div>
  );
}
