import { NotFoundPage } from '../features/not-found/not-found-page';
import { normalizePath, usePathname } from '../lib/router';
import { routes } from './routes';

/** Picks the page for the current path. */
export function App() {
  const path = normalizePath(usePathname());
  const Page = routes[path] ?? NotFoundPage;
  // The key gives each page fresh state when the path changes.
  return <Page key={path} />;
}
