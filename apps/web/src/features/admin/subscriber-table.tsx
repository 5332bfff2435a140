import type { Subscriber, SubscriberSource } from '@catlist/contracts';
import { useEffect, useId, useMemo, useRef } from 'react';
import { formatCount, timeFormatter } from './list-format';

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
  /** The addresses ticked for a bulk delete (SelectionBar ticks all shown, or none). */
  selected: ReadonlySet<string>;
  onSelect: (email: string, on: boolean) => void;
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
  selected,
  onSelect,
}: SubscriberTableProps) {
  const formatTime = useMemo(() => timeFormatter(), []);
  return (
    <table className="subscriber-table" aria-busy={busy}>
      <caption className="visually-hidden">Subscribers, newest first</caption>
      <thead>
        <tr>
          <th scope="col" className="select-cell">
            <span className="visually-hidden">Selected</span>
          </th>
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
            <td className="select-cell">
              <input
                type="checkbox"
                aria-label={`Select ${item.email}`}
                checked={selected.has(item.email)}
                onChange={(event) => onSelect(item.email, event.target.checked)}
              />
            </td>
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

interface SelectionBarProps {
  items: readonly Subscriber[];
  selected: ReadonlySet<string>;
  /** Every row on screen, or none. */
  onSelectAll: (on: boolean) => void;
  onDeleteSelected: () => void;
}

/**
 * Above the table, at every width (the table's header row is hidden on a phone): "Select all
 * shown", mixed while some are ticked (the ARIA checkbox pattern), and with any ticked, how many
 * and "Delete selected".
 */
export function SelectionBar({
  items,
  selected,
  onSelectAll,
  onDeleteSelected,
}: SelectionBarProps) {
  const ticked = items.filter((item) => selected.has(item.email)).length;
  const all = items.length > 0 && ticked === items.length;
  const box = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => {
    if (box.current) box.current.indeterminate = ticked > 0 && !all;
  }, [ticked, all]);
  return (
    <div className="bulk-bar">
      <span>
        <input
          ref={box}
          id={id}
          type="checkbox"
          checked={all}
          onChange={(event) => onSelectAll(event.target.checked)}
        />{' '}
        <label htmlFor={id}>Select all shown</label>
      </span>
      {selected.size > 0 && (
        <>
          <span>{formatCount(selected.size)} selected</span>
          <button type="button" className="button button-quiet" onClick={onDeleteSelected}>
            Delete selected
          </button>
        </>
      )}
    </div>
  );
}
