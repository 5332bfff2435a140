import { isDemoSite } from '@catlist/contracts';
import { env } from '../config/env';
import { Link } from '../lib/router';
import { useSite } from '../lib/site';
import { CatMark } from './cat-mark';

interface SiteHeaderProps {
  name: string;
  /** Shown under the name on the home page; empty: none. */
  tagline?: string;
  /** On the home page the site's name is the page's heading; elsewhere it links home. */
  home?: boolean;
}

/**
 * The mark beside the site's name: the logo the admin uploaded (the name says it all: no alt
 * text), else the cat mark on the Cats Everywhere demo only (a site of one's own has no cats).
 */
export function SiteMark({ name, logoUrl }: { name: string; logoUrl?: string | null | undefined }) {
  if (logoUrl) return <img className="site-logo" src={env.apiBaseUrl + logoUrl} alt="" />;
  return isDemoSite({ name }) ? <CatMark /> : null;
}

/** The site's header, the same on every public page: its mark and name. */
export function SiteHeader({ name, tagline = '', home = false }: SiteHeaderProps) {
  const { logoUrl } = useSite();
  return (
    <header className="site-header">
      <SiteMark name={name} logoUrl={logoUrl} />
      {home ? (
        <h1>{name}</h1>
      ) : (
        <p className="site-name">
          <Link href="/">{name}</Link>
        </p>
      )}
      {home && tagline !== '' && <p className="tagline">{tagline}</p>}
    </header>
  );
}
