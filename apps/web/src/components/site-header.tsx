import { isDemoSite } from '@catlist/contracts';
import { Link } from '../lib/router';
import { CatMark } from './cat-mark';

interface SiteHeaderProps {
  name: string;
  /** Shown under the name on the home page; empty: none. */
  tagline?: string;
  /** On the home page the site's name is the page's heading; elsewhere it links home. */
  home?: boolean;
}

/**
 * The site's header, the same on every public page: the site's name, with the cat mark on the
 * Cats Everywhere demo only (a site of one's own has no cats).
 */
export function SiteHeader({ name, tagline = '', home = false }: SiteHeaderProps) {
  return (
    <header className="site-header">
      {isDemoSite({ name }) && <CatMark />}
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
