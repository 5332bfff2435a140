import type { ReactNode } from 'react';
import { useTexts } from '../lib/texts';
import { LoadFailed } from './load-failed';

/** The view states every page starts in: waiting for its data, or failing to get it. */
export type LoadView = { kind: 'loading' } | { kind: 'load-failed'; message: string };

/** A step's result, shown in the page card's live region. */
export interface Notice {
  tone: 'success' | 'error';
  text: string;
}

interface PageCardProps<V extends { kind: string }> {
  /** What the page shows: the two load states are drawn here, any other view by `children`. */
  view: LoadView | V;
  /** The last step's result; null shows nothing. */
  notice: Notice | null;
  /** Called by the load-failed view's "Try again" button. */
  onRetry: () => void;
  /** Draws a loaded view. */
  children: (view: V) => ReactNode;
}

function isLoadView<V>(view: LoadView | V): view is LoadView {
  const { kind } = view as { kind: string };
  return kind === 'loading' || kind === 'load-failed';
}

/** A page's main card: the live region for step results, then the content for the current view. */
export function PageCard<V extends { kind: string }>({
  view,
  notice,
  onRetry,
  children,
}: PageCardProps<V>) {
  const { t } = useTexts();
  let content: ReactNode;
  if (!isLoadView(view)) content = children(view);
  else if (view.kind === 'loading') content = <p className="loading">{t('loading')}</p>;
  else content = <LoadFailed message={view.message} onRetry={onRetry} />;

  return (
    <main className="card" aria-busy={view.kind === 'loading'}>
      {/* One polite live region for step results, present before any message arrives. */}
      <div role="status" className={`notice notice-${notice?.tone ?? 'none'}`}>
        {notice?.text}
      </div>
      {content}
    </main>
  );
}
