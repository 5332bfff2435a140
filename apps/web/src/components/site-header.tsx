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
 * The site's header, the same on every public page: the site's name, with the logo the admin
 * uploaded (beside the name, which says it all: no alt text), else the cat mark on the Cats
 * Everywhere demo only (a site of one's own has no cats).
 */
export function SiteHeader({ name, tagline = '', home = false }: SiteHeaderProps) {
  const { logoUrl } = useSite();
  return (
    <header className="site-header">
      {logoUrl ? (
        <img className="site-logo" src={env.apiBaseUrl + logoUrl} alt="" />
      ) : (
        isDemoSite({ name }) && <CatMark />
      )}
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
