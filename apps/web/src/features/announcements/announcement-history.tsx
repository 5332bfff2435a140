import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { AdminLoadView } from '../admin/admin-load-view';
import { ConfirmDialog } from '../admin/confirm-dialog';
import { isUnauthorized } from '../admin/describe-admin-error';
import { formatCount, timeFormatter } from '../admin/list-format';
import type { AdminLoad } from '../admin/use-admin-load';
import { announcementApi } from './announcement-api';
import {
  type AnnouncementSummary,
  describeAnnouncementError,
  STATUS_LABELS,
} from './announcement-format';

type Page = Awaited<ReturnType<typeof announcementApi.list>>;

interface AnnouncementHistoryProps {
  load: AdminLoad<Page>;
  onRetry: () => void;
  /** After an announcement was closed: its row's button ('new': the Write button) takes focus. */
  focus: string | null;
  /** Focus went back: later reloads of the history leave it where it is. */
  onFocused: () => void;
  /** Opens one (null: a new one). */
  onOpen: (id: string | null) => void;
  /** A draft was deleted: ask for the history again. */
  onChanged: () => void;
  onUnauthorized: () => void;
}

/** The panel's front: "Write an announcement" and the past ones, newest first. */
export function AnnouncementHistory({
  load,
  onRetry,
  focus,
  onFocused,
  onOpen,
  onChanged,
  onUnauthorized,
}: AnnouncementHistoryProps) {
  const [notice, setNotice] = useState('');
  const [deleting, setDeleting] = useState<AnnouncementSummary | null>(null);
  const area = useRef<HTMLDivElement>(null);
  const write = useRef<HTMLButtonElement>(null);
  const headingId = useId();

  // Focus goes back where the admin left: the announcement they closed, or the Write button.
  useEffect(() => {
    if (focus === null || load.kind !== 'ready') return;
    (rowButton(area.current, focus) ?? write.current)?.focus();
    onFocused();
  }, [focus, load.kind, onFocused]);

  async function confirmDelete() {
    const draft = deleting;
    if (!draft) return;
    setDeleting(null);
    try {
      await announcementApi.remove(draft.id);
      setNotice(`Deleted the draft “${draft.subject}”.`);
    } catch (error) {
      if (isUnauthorized(error)) return onUnauthorized();
      setNotice(`Could not delete the draft. ${describeAnnouncementError(error)}`);
    }
    write.current?.focus();
    onChanged();
  }

  return (
    <>
      <div inert={deleting !== null} ref={area}>
        <div className="announcement-head">
          <h3 id={headingId} className="import-title">
            Write to everyone on the list
          </h3>
          <button ref={write} type="button" className="button" onClick={() => onOpen(null)}>
            Write an announcement
          </button>
        </div>
        <p role="status" className="announcement-status">
          {notice}
        </p>
        <div aria-busy={load.kind === 'loading'}>
          <AdminLoadView load={load} onRetry={onRetry}>
            {(page) => (
              <HistoryTable
                key={page.items[0]?.id ?? 'none'}
                page={page}
                labelledBy={headingId}
                onOpen={onOpen}
                onDelete={setDeleting}
                onUnauthorized={onUnauthorized}
              />
            )}
          </AdminLoadView>
        </div>
      </div>
      {deleting !== null && (
        <ConfirmDialog
          title="Delete this draft?"
          confirmLabel="Delete"
          onConfirm={confirmDelete}
          onCancel={() => {
            const id = deleting.id;
            setDeleting(null);
            // Back to its Delete button, once the page behind is no longer inert.
            setTimeout(() => rowButton(area.current, id, 'delete')?.focus());
          }}
        >
          <p>“{deleting.subject}” was never sent; it goes for good.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** The button that opens (or deletes) announcement `id` in the history, if its row is shown. */
function rowButton(
  area: HTMLElement | null,
  id: string,
  which: 'open' | 'delete' = 'open',
): HTMLButtonElement | null {
  const rows = [...(area?.querySelectorAll<HTMLElement>('tr[data-id]') ?? [])];
  const buttons = rows.find((row) => row.dataset.id === id)?.querySelectorAll('button');
  return (which === 'open' ? buttons?.[0] : buttons?.[1]) ?? null;
}

interface HistoryTableProps {
  page: Page;
  labelledBy: string;
  onOpen: (id: string) => void;
  onDelete: (item: AnnouncementSummary) => void;
  onUnauthorized: () => void;
}

/** The rows of the first page, and the pages "Load more" adds under them. */
function HistoryTable({ page, labelledBy, onOpen, onDelete, onUnauthorized }: HistoryTableProps) {
  const formatTime = useMemo(() => timeFormatter(), []);
  const [more, setMore] = useState<AnnouncementSummary[]>([]);
  const [next, setNext] = useState(page.nextBefore);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState('');

  async function loadMore() {
    if (next === null || loadingMore) return;
    setLoadingMore(true);
    setError('');
    try {
      const older = await announcementApi.list(next);
      setMore((before) => [...before, ...older.items]);
      setNext(older.nextBefore);
    } catch (caught) {
      if (isUnauthorized(caught)) return onUnauthorized();
      setError(describeAnnouncementError(caught));
    } finally {
      setLoadingMore(false);
    }
  }

  const items = [...page.items, ...more];
  if (items.length === 0) {
    return (
      <div className="list-state empty-state">
        <p className="empty-title">No announcements yet</p>
        <p>Write one to tell everyone on the list what is new; you can try it on yourself first.</p>
      </div>
    );
  }

  return (
    <>
      <div className="announcement-table-area">
        <table className="announcement-table" aria-labelledby={labelledBy}>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col">Dates</th>
              <th scope="col" className="count-cell">
                Sent
              </th>
              <th scope="col" className="count-cell">
                Failed
              </th>
              <th scope="col" className="count-cell">
                Skipped
              </th>
              <th scope="col" className="count-cell">
                Unsubscribed
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-id={item.id}>
                <th scope="row">
                  <button type="button" className="button-text" onClick={() => onOpen(item.id)}>
                    {item.subject}
                  </button>
                </th>
                <td>
                  <span className={`status-tag status-${item.status}`}>
                    {STATUS_LABELS[item.status]}
                  </span>
                </td>
                <td className="announcement-dates">
                  <Dated label="Written" iso={item.createdAt} format={formatTime} />
                  <Dated label="Started" iso={item.startedAt} format={formatTime} />
                  <Dated
                    label={item.status === 'cancelled' ? 'Cancelled' : 'Finished'}
                    iso={item.finishedAt}
                    format={formatTime}
                  />
                </td>
                <td className="count-cell">{formatCount(item.progress.sent)}</td>
                <td className="count-cell">{formatCount(item.progress.failed)}</td>
                <td className="count-cell">{formatCount(item.progress.skipped)}</td>
                <td className="count-cell">{formatCount(item.progress.unsubscribed)}</td>
                <td>
                  {item.status === 'draft' && (
                    <button
                      type="button"
                      className="button-text button-small"
                      aria-label={`Delete the draft “${item.subject}”`}
                      onClick={() => onDelete(item)}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {next !== null && (
        <button
          type="button"
          className="button button-quiet"
          disabled={loadingMore}
          onClick={loadMore}
        >
          {loadingMore ? 'Loading more…' : 'Load older announcements'}
        </button>
      )}
      {error !== '' && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function Dated({
  label,
  iso,
  format,
}: {
  label: string;
  iso: string | null;
  format: (iso: string) => string;
}) {
  if (iso === null) return null;
  return (
    <span className="announcement-date">
      {label} <time dateTime={iso}>{format(iso)}</time>
    </span>
  );
}
