import type { Subscriber, SubscriberSource } from '@catlist/contracts';
import { useMemo } from 'react';
import { timeFormatter } from './list-format';

/** The marker beside an address that did not come from the signup form. */
const SOURCE_LABEL: Record<SubscriberSource, string | null> = {
  signup: null,
  import: 'imported',
  cli: 'added by CLI',
  admin: 'added by admin',
};

interface SubscriberTableProps {
  items: readonly Subscriber[];
  /** The rows are about to be replaced (a search is running). */
  busy: boolean;
  /** Confirmation by email is on: a "Confirmed" column with the time, or "not confirmed". */
  showConfirmed?: boolean;
  onDelete: (item: Subscriber) => void;
}

/**
 * The addresses with their signup time (and, with confirmation on, when each was confirmed; an
 * import or `catlist add` joins without), newest first. Each row is findable by `data-email`, and
 * its address cell can take focus (after "Load more", reading continues at the first new row).
 */
export function SubscriberTable({
  items,
  busy,
  showConfirmed = false,
  onDelete,
}: SubscriberTableProps) {
  const formatTime = useMemo(() => timeFormatter(), []);
  return (
    <table className="subscriber-table" aria-busy={busy}>
      <caption className="visually-hidden">Subscribers, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Email</th>
          <th scope="col">Signed up</th>
          {showConfirmed && <th scope="col">Confirmed</th>}
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.email} data-email={item.email}>
            <th scope="row" className="address" tabIndex={-1}>
              {item.email}
              {SOURCE_LABEL[item.source] !== null && (
                <span className="source-tag">{SOURCE_LABEL[item.source]}</span>
              )}
            </th>
            <td className="signed-up">
              <time dateTime={item.createdAt}>{formatTime(item.createdAt)}</time>
            </td>
            {showConfirmed && (
              <td className="confirmed">
                {/* On narrow screens the header row is hidden: the cell says what it is. */}
                <span className="cell-label">Confirmed: </span>
                {item.confirmedAt ? (
                  <time dateTime={item.confirmedAt}>{formatTime(item.confirmedAt)}</time>
                ) : (
                  'not confirmed'
                )}
              </td>
            )}
            <td className="row-actions">
              <button
                type="button"
                className="button-text button-small"
                aria-label={`Delete ${item.email}`}
                onClick={() => onDelete(item)}
              >
                Delete
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
