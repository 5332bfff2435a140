import type { SuppressionsPage } from '@catlist/contracts';
import { useState } from 'react';
import { adminApi } from './admin-api';
import { AdminLoadView } from './admin-load-view';
import { describeAdminError, isUnauthorized } from './describe-admin-error';
import { formatCount } from './list-format';
import { useAdminLoad } from './use-admin-load';

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
  const [load, fetchPage] = useAdminLoad(adminApi.listSuppressions, onUnauthorized);
  const [notice, setNotice] = useState<string | null>(null);

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
        <AdminLoadView load={load} onRetry={fetchPage}>
          {(page) => (
            <>
              <p className="suppression-total">
                {formatCount(page.total)} {page.total === 1 ? 'address' : 'addresses'} on the
                suppression list: imports and Add one skip them unless told to include them.
              </p>
              {page.items.length > 0 && (
                <ul className="suppression-items">
                  {page.items.map((item) => (
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
              {page.nextAfter !== null && (
                <p>The first {formatCount(page.items.length)} are shown.</p>
              )}
            </>
          )}
        </AdminLoadView>
      </div>
    </details>
  );
}
