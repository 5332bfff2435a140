import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { type LoadView, type Notice, PageCard } from './page-card';

type View = LoadView | { kind: 'greeting'; name: string };

function renderCard(view: View, notice: Notice | null = null, onRetry = () => {}) {
  return render(
    <PageCard view={view} notice={notice} onRetry={onRetry}>
      {(loaded) => <p>Hello, {loaded.name}</p>}
    </PageCard>,
  );
}

describe('PageCard', () => {
  it('while loading, says so and marks the card busy', () => {
    renderCard({ kind: 'loading' });
    expect(screen.getByText('Loading…')).toBeInTheDocument();
    expect(screen.getByRole('main')).toHaveAttribute('aria-busy', 'true');
    expect(screen.queryByText(/Hello/)).not.toBeInTheDocument();
  });

  it('when loading failed, shows why and tries again on request', async () => {
    const user = userEvent.setup();
    const onRetry = vi.fn();
    renderCard({ kind: 'load-failed', message: 'The server did not answer.' }, null, onRetry);
    expect(screen.getByText('The server did not answer.')).toBeInTheDocument();
    expect(screen.getByRole('main')).toHaveAttribute('aria-busy', 'false');
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it('once loaded, shows what the page draws for that view', () => {
    renderCard({ kind: 'greeting', name: 'Tom' });
    expect(screen.getByText('Hello, Tom')).toBeInTheDocument();
    expect(screen.getByRole('main')).toHaveAttribute('aria-busy', 'false');
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('announces a step result in a status region that is there before any result', () => {
    const { rerender } = renderCard({ kind: 'greeting', name: 'Tom' });
    const status = screen.getByRole('status');
    expect(status).toBeEmptyDOMElement();
    rerender(
      <PageCard
        view={{ kind: 'greeting', name: 'Tom' }}
        notice={{ tone: 'success', text: 'You have logged out.' }}
        onRetry={() => {}}
      >
        {(loaded) => <p>Hello, {loaded.name}</p>}
      </PageCard>,
    );
    expect(screen.getByRole('status')).toBe(status);
    expect(status).toHaveTextContent('You have logged out.');
    expect(status).toHaveClass('notice-success');
  });
});
