import { Component, type ReactNode } from 'react';

interface State {
  failed: boolean;
}

/**
 * Catches a page that cannot render, typically a lazy chunk that failed to download (offline, or
 * replaced by a deploy), and offers a reload instead of a blank screen.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="page">
        <section className="card load-failed">
          <h1 className="form-title">This page could not be loaded</h1>
          <p className="field-error">Check your connection, then reload the page.</p>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </section>
      </main>
    );
  }
}
