import { Component, type ContextType, type ReactNode } from 'react';
import { TextsContext } from '../lib/texts';

interface State {
  failed: boolean;
}

/**
 * Catches a page that cannot render, typically a lazy chunk that failed to download (offline, or
 * replaced by a deploy), and offers a reload instead of a blank screen.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  static override contextType = TextsContext;
  declare context: ContextType<typeof TextsContext>;
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    const { t } = this.context;
    return (
      <main className="page">
        <section className="card load-failed">
          <h1 className="form-title">{t('reloadTitle')}</h1>
          <p className="field-error">{t('reloadText')}</p>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            {t('reload')}
          </button>
        </section>
      </main>
    );
  }
}
