import type { SuppressionsPage } from '@catlist/contracts';
import { useEffect, useRef, useState } from 'react';
import { LoadFailed } from '../../components/load-failed';
import { adminApi } from './admin-api';
import { describeAdminError, isUnauthorized } from './describe-admin-error';
import { formatCount } from './list-format';

type Load =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; page: SuppressionsPage }
  | { kind: 'failed'; message: string };

interface SuppressionPanelProps {
  onUnauthorized: () => void;
}

const REASON: Record<SuppressionsPage['items'][number]['reason'], string> = {
  unsubscribed: 'unsubscribed',
  complaint: 'complaint',
};

/**
 * "Suppression list": how many addresses imports and "Add one" skip, the first of them in
 * address order, and a way to lift one (its owner asked to be back). Asked for each time the
 * panel is opened, so it shows what the last deletes did.
 */
export function SuppressionPanel({ onUnauthorized }: SuppressionPanelProps) {
  const [load, setLoad] = useState<Load>({ kind: 'idle' });
  const [notice, setNotice] = useState<string | null>(null);
  const request = useRef<AbortController | null>(null);
  useEffect(() => () => request.current?.abort(), []);

  function fetchPage() {
    request.current?.abort();
    const controller = new AbortController();
    request.current = controller;
    setLoad({ kind: 'loading' });
    adminApi.listSuppressions(controller.signal).then(
      (page) => setLoad({ kind: 'ready', page }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isUnauthorized(error)) onUnauthorized();
        else setLoad({ kind: 'failed', message: describeAdminError(error) });
      },
    );
  }

  async function lift(email: string) {
    try {
      await adminApi.liftSuppression(email);
      setNotice(`${email} is off the suppression list.`);
    } catch (error) {
      if (isUnauthorized(error)) return onUnauthorized();
      setNotice(`Could not lift ${email}. ${describeAdminError(error)}`);
    }
    fetchPage();
  }

  return (
    <details
      className="import suppressions"
      onToggle={(event) => {
        if ((event.currentTarget as HTMLDetailsElement).open) fetchPage();
        else setNotice(null);
      }}
    >
      <summary>Suppression list</summary>
      <div className="suppression-panel" aria-busy={load.kind === 'loading'}>
        <p role="status">{notice}</p>
        {load.kind === 'ready' ? (
          <>
            <p className="suppression-total">
              {formatCount(load.page.total)} {load.page.total === 1 ? 'address' : 'addresses'} on
              the suppression list: imports and Add one skip them unless told to include them.
            </p>
            {load.page.items.length > 0 && (
              <ul className="suppression-items">
                {load.page.items.map((item) => (
                  <li key={item.email}>
                    {item.email} <span className="source-tag">{REASON[item.reason]}</span>{' '}
                    <button
                      type="button"
                      className="button-text button-small"
                      aria-label={`Lift ${item.email}`}
                      onClick={() => lift(item.email)}
                    >
                      Lift
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {load.page.nextAfter !== null && (
              <p>The first {formatCount(load.page.items.length)} are shown.</p>
            )}
          </>
        ) : load.kind === 'failed' ? (
          <LoadFailed message={load.message} onRetry={fetchPage} />
        ) : (
          <p className="loading">Loading…</p>
        )}
      </div>
    </details>
  );
}
