import type {
  ImportResult,
  Subscriber,
  SubscriberSort,
  SubscriberSource,
  SubscriberStatus,
} from '@catlist/contracts';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { Link } from '../../lib/router';
import { AnnouncementPanel } from '../announcements/announcement-panel';
import { AddOnePanel } from './add-one-panel';
import { adminApi } from './admin-api';
import { ConfirmDialog } from './confirm-dialog';
import { describeAdminError, isUnauthorized } from './describe-admin-error';
import { EmbedPanel } from './embed-panel';
import { GrowthPanel } from './growth-panel';
import { ImportPanel } from './import-panel';
import {
  formatCount,
  formatMatches,
  formatPending,
  formatShowing,
  formatSubscribers,
} from './list-format';
import { SettingsPanel } from './settings-panel';
import { SelectionBar, SubscriberTable } from './subscriber-table';
import { SuppressionPanel } from './suppression-panel';
import { isFiltered, NO_FILTER, useSubscriberList } from './use-subscriber-list';

/** Wait this long after the last keystroke before searching, so typing is one request. */
export const SEARCH_DEBOUNCE_MS = 300;

interface Notice {
  tone: 'success' | 'error';
  text: string;
}

/** The status filter's choices; `unconfirmed` rows joined without confirming (imports, CLI). */
const STATUS_CHOICES: readonly [SubscriberStatus | '', string][] = [
  ['', 'All'],
  ['confirmed', 'Confirmed by mail'],
  ['unconfirmed', 'Not confirmed by mail'],
];

const SORT_CHOICES: readonly [SubscriberSort | '', string][] = [
  ['', 'Newest first'],
  ['oldest', 'Oldest first'],
  ['email', 'Address, A to Z'],
  ['email-desc', 'Address, Z to A'],
];

const SOURCE_CHOICES: readonly [SubscriberSource | '', string][] = [
  ['', 'All'],
  ['signup', 'Signup form'],
  ['import', 'Import'],
  ['cli', 'Command line'],
  ['admin', 'Admin page'],
];

interface FilterSelectProps<V extends string> {
  id: string;
  label: string;
  value: V | '';
  /** Each choice's value and what the list shows for it; '' is no filter (or the default order). */
  choices: readonly [V | '', string][];
  onChange: (value: V | '') => void;
}

/** One of the filters under the search box: a label and a select of its choices. */
function FilterSelect<V extends string>({
  id,
  label,
  value,
  choices,
  onChange,
}: FilterSelectProps<V>) {
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as V | '')}>
        {choices.map(([choice, text]) => (
          <option key={choice} value={choice}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Where focus goes once the next render is on screen. */
type FocusTarget =
  | { kind: 'heading' }
  | { kind: 'search' }
  | { kind: 'row'; email: string }
  | { kind: 'delete'; email: string };

interface SubscriberListProps {
  /** Take focus when shown, because the step before it (logging in) removed what had focus. */
  autoFocus?: boolean;
  /** The API said the admin session is over. */
  onUnauthorized: () => void;
  onLoggedOut: () => void;
}

/**
 * The logged-in admin view: total (and signups waiting for confirmation), search and filters, the
 * table, paging, delete, import, CSV export, the snippets for another site, log out.
 */
export function SubscriberList({
  autoFocus = false,
  onUnauthorized,
  onLoggedOut,
}: SubscriberListProps) {
  const { state, refine, retry, loadMore, remove } = useSubscriberList(onUnauthorized);
  const [text, setText] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const [confirming, setConfirming] = useState<Subscriber | null>(null);
  const [loggingOut, setLoggingOut] = useState(false);
  const [focusTarget, setFocusTarget] = useState<FocusTarget | null>(
    autoFocus ? { kind: 'heading' } : null,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const tableArea = useRef<HTMLDivElement>(null);
  const ids = useId();
  const searchId = `${ids}-search`;
  const statusId = `${ids}-status`;
  const sourceId = `${ids}-source`;
  const sortId = `${ids}-sort`;
  const headingId = `${ids}-heading`;

  // A notice about the last delete or import belongs to the rows it was about: a new search
  // replaces them, so it goes.
  useEffect(() => setNotice(null), [state.filter]);

  // Search once typing pauses; Enter searches at once (handleSearch).
  useEffect(() => {
    const timer = setTimeout(() => refine({ q: text.trim() }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, refine]);

  useEffect(() => {
    if (focusTarget === null) return;
    setFocusTarget(null);
    if (focusTarget.kind === 'heading') return heading.current?.focus();
    if (focusTarget.kind === 'search') return searchInput.current?.focus();
    const row = [...(tableArea.current?.querySelectorAll('tbody tr') ?? [])].find(
      (element) => (element as HTMLElement).dataset.email === focusTarget.email,
    );
    const element = row?.querySelector<HTMLElement>(focusTarget.kind === 'row' ? 'th' : 'button');
    // A row that is not there (put back out of view) leaves reading at the top of the list.
    (element ?? heading.current)?.focus();
  }, [focusTarget, state.items]);

  function handleSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    refine({ q: text.trim() });
  }

  function clearFilters() {
    setText('');
    // The order is not a filter: it stays.
    refine({ ...NO_FILTER, sort: filter.sort });
    setFocusTarget({ kind: 'search' });
  }

  async function handleLoadMore() {
    setNotice(null);
    const added = await loadMore();
    // The button may be gone now (last page); either way, continue reading at the new rows.
    const first = added[0];
    if (first) setFocusTarget({ kind: 'row', email: first.email });
  }

  // Ticked addresses, for one bulk delete; a new filter or order shows other rows: none ticked.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkConfirming, setBulkConfirming] = useState(false);
  const [complaint, setComplaint] = useState(false);
  useEffect(() => setSelected(new Set()), [state.filter]);

  function select(email: string, on: boolean) {
    setSelected((before) => {
      const next = new Set(before);
      if (on) next.add(email);
      else next.delete(email);
      return next;
    });
  }

  function selectAll(on: boolean) {
    setSelected(on ? new Set(state.items.map((item) => item.email)) : new Set());
  }

  async function confirmBulkDelete() {
    const emails = [...selected];
    const asComplaint = complaint;
    setBulkConfirming(false);
    setComplaint(false);
    setNotice(null);
    try {
      const { removed } = await adminApi.deleteSubscribers(emails, asComplaint);
      setSelected(new Set());
      setNotice({
        tone: 'success',
        text:
          `Deleted ${formatCount(removed)} ${removed === 1 ? 'address' : 'addresses'}` +
          `${asComplaint ? ' as complaints' : ''}.`,
      });
      setFocusTarget({ kind: 'heading' });
      retry();
    } catch (caught) {
      if (isUnauthorized(caught)) return onUnauthorized();
      setNotice({ tone: 'error', text: `Could not delete them. ${describeAdminError(caught)}` });
    }
  }

  function cancelDelete() {
    if (confirming) setFocusTarget({ kind: 'delete', email: confirming.email });
    setConfirming(null);
    setComplaint(false);
  }

  async function confirmDelete() {
    const item = confirming;
    if (!item) return;
    setConfirming(null);
    setNotice(null);
    // The row disappears now; the next row's Delete button (or the one before) takes focus.
    const index = state.items.indexOf(item);
    const neighbour = state.items[index + 1] ?? state.items[index - 1];
    setFocusTarget(neighbour ? { kind: 'delete', email: neighbour.email } : { kind: 'heading' });
    const asComplaint = complaint;
    setComplaint(false);
    const outcome = await remove(item, asComplaint);
    switch (outcome.kind) {
      case 'deleted':
        setNotice({ tone: 'success', text: `Deleted ${item.email}.` });
        break;
      case 'already-gone':
        setNotice({ tone: 'success', text: `${item.email} was already off the list.` });
        break;
      case 'failed':
        setNotice({ tone: 'error', text: `Could not delete ${item.email}. ${outcome.message}` });
        setFocusTarget({ kind: 'delete', email: item.email });
        break;
      case 'unauthorized':
        break;
    }
  }

  function imported(result: ImportResult, fileName: string) {
    const added = `${formatCount(result.added)} ${result.added === 1 ? 'address' : 'addresses'}`;
    setNotice({
      tone: 'success',
      text:
        `Imported ${added} from ${fileName}` +
        ` (${formatCount(result.alreadyThere)} already there, ${formatCount(result.invalid)} invalid).`,
    });
    // The new rows are somewhere in the list's order: load it again from the top.
    retry();
  }

  function added(email: string, outcome: 'added' | 'already' | 'mailed') {
    const text = {
      added: `Added ${email}.`,
      already: `${email} is already on the list.`,
      mailed: `A confirmation mail goes to ${email} (at most 3 a day); it joins once they open the link.`,
    }[outcome];
    setNotice({ tone: 'success', text });
    if (outcome !== 'already') retry();
  }

  async function handleLogout() {
    if (loggingOut) return;
    setLoggingOut(true);
    setNotice(null);
    try {
      await adminApi.adminLogout();
      onLoggedOut();
    } catch (error) {
      // Not logged in any more is what logging out wanted.
      if (isUnauthorized(error)) return onLoggedOut();
      setLoggingOut(false);
      setNotice({ tone: 'error', text: `Could not log out. ${describeAdminError(error)}` });
    }
  }

  const { filter, phase, items, matching, overall, pending, nextCursor } = state;
  const filtered = isFiltered(filter);
  // With confirmation on, the API counts the signups waiting for it (and rows have confirmedAt).
  const withConfirmation = pending !== undefined;
  // While typing (before the debounce fires) the old count no longer describes the field.
  const typed = text.trim();
  let searchStatus = '';
  if (filtered && phase === 'ready') searchStatus = formatMatches(matching, overall ?? matching);
  if ((typed !== '' && typed !== filter.q) || (filtered && phase === 'loading')) {
    searchStatus = 'Searching…';
  }
  const onlyText = filter.status === '' && filter.source === '';

  let body: ReactNode;
  if (phase === 'failed') {
    body = (
      <div className="list-state">
        <p className="field-error">{state.error}</p>
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      </div>
    );
  } else if (phase === 'loading' && items.length === 0) {
    body = <p className="loading list-state">Loading subscribers…</p>;
  } else if (phase === 'ready' && items.length === 0 && matching === 0 && !filtered) {
    body = (
      <div className="list-state empty-state">
        {/* Signups waiting for confirmation are not on the list: "no one signed up" is untrue. */}
        {pending ? (
          <>
            <p className="empty-title">No one has confirmed yet</p>
            <p>Addresses appear here once people open the link in their confirmation mail.</p>
          </>
        ) : (
          <>
            <p className="empty-title">No one has signed up yet</p>
            <p>
              Addresses appear here as people join on the <Link href="/">signup page</Link>.
            </p>
          </>
        )}
      </div>
    );
  } else if (phase === 'ready' && items.length === 0 && matching === 0) {
    body = (
      <div className="list-state empty-state">
        <p className="empty-title">
          {onlyText ? `No addresses match “${filter.q}”` : 'No addresses match these filters'}
        </p>
        <p>Search for any part of an address, such as its domain.</p>
        <button type="button" className="button button-quiet" onClick={clearFilters}>
          {onlyText ? 'Clear search' : 'Clear search and filters'}
        </button>
      </div>
    );
  } else {
    body = (
      <SubscriberTable
        items={items}
        busy={phase === 'loading'}
        showConfirmed={withConfirmation}
        onDelete={setConfirming}
        selected={selected}
        onSelect={select}
      />
    );
  }

  return (
    <>
      <section
        className="subscriber-list"
        aria-labelledby={headingId}
        inert={confirming !== null || bulkConfirming}
      >
        <div className="list-head">
          <div>
            <h2 id={headingId} ref={heading} tabIndex={-1} className="form-title">
              Subscribers
            </h2>
            <p className="list-total">{overall === null ? null : formatSubscribers(overall)}</p>
            {pending !== undefined && <p className="list-pending">{formatPending(pending)}</p>}
          </div>
          <div className="list-actions">
            <a
              className="button-link"
              href={adminApi.subscribersCsvUrl()}
              download="subscribers.csv"
            >
              Download CSV
            </a>
            <button
              type="button"
              className="button button-text"
              disabled={loggingOut}
              onClick={handleLogout}
            >
              {loggingOut ? 'Logging out…' : 'Log out'}
            </button>
          </div>
        </div>

        <details className="import">
          <summary>Import addresses</summary>
          <ImportPanel onImported={imported} onUnauthorized={onUnauthorized} />
        </details>

        <AddOnePanel
          onAdded={added}
          onUnauthorized={onUnauthorized}
          withConfirmation={withConfirmation}
        />

        <EmbedPanel onUnauthorized={onUnauthorized} />

        <SettingsPanel onUnauthorized={onUnauthorized} />

        <GrowthPanel onUnauthorized={onUnauthorized} />

        <SuppressionPanel onUnauthorized={onUnauthorized} />

        <AnnouncementPanel onUnauthorized={onUnauthorized} />

        {/* A search landmark; the <search> element is too new for some browsers still in use. */}
        {/* biome-ignore lint/a11y/useSemanticElements: see above. */}
        <form role="search" className="search" onSubmit={handleSearch}>
          <label htmlFor={searchId}>Search</label>
          <input
            ref={searchInput}
            id={searchId}
            type="search"
            name="q"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            placeholder="Part of an address"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          <div className="filters">
            {withConfirmation && (
              <FilterSelect
                id={statusId}
                label="Status"
                value={filter.status}
                choices={STATUS_CHOICES}
                onChange={(status) => refine({ status })}
              />
            )}
            <FilterSelect
              id={sourceId}
              label="Source"
              value={filter.source}
              choices={SOURCE_CHOICES}
              onChange={(source) => refine({ source })}
            />
            <FilterSelect
              id={sortId}
              label="Order"
              value={filter.sort}
              choices={SORT_CHOICES}
              onChange={(sort) => refine({ sort })}
            />
          </div>
        </form>
        <p role="status" className="search-status">
          {searchStatus}
        </p>

        <div role="status" className={`notice notice-${notice?.tone ?? 'none'}`}>
          {notice?.text}
        </div>

        <div ref={tableArea} className="table-area">
          {items.length > 0 && (
            <SelectionBar
              items={items}
              selected={selected}
              onSelectAll={selectAll}
              onDeleteSelected={() => setBulkConfirming(true)}
            />
          )}
          {body}
        </div>

        {items.length > 0 && (
          <div className="list-foot">
            <p className="list-showing">{formatShowing(items.length, matching, filtered)}</p>
            {nextCursor !== null && (
              <button
                type="button"
                className="button button-quiet"
                disabled={state.loadingMore}
                onClick={handleLoadMore}
              >
                {state.loadingMore ? 'Loading more…' : 'Load more'}
              </button>
            )}
          </div>
        )}
        {phase === 'ready' && state.error !== null && (
          <p className="field-error" role="alert">
            {state.error}
          </p>
        )}
      </section>

      {confirming !== null && (
        <ConfirmDialog
          title={`Delete ${confirming.email}?`}
          confirmLabel="Delete"
          onConfirm={confirmDelete}
          onCancel={cancelDelete}
        >
          <p>The address comes off the list for good. This cannot be undone.</p>
          <ComplaintChoice checked={complaint} onChange={setComplaint} />
        </ConfirmDialog>
      )}
      {bulkConfirming && (
        <ConfirmDialog
          title={`Delete ${formatCount(selected.size)} ${selected.size === 1 ? 'address' : 'addresses'}?`}
          confirmLabel="Delete"
          onConfirm={confirmBulkDelete}
          onCancel={() => {
            setBulkConfirming(false);
            setComplaint(false);
          }}
        >
          <p>The ticked addresses come off the list for good. This cannot be undone.</p>
          <ComplaintChoice checked={complaint} onChange={setComplaint} />
        </ConfirmDialog>
      )}
    </>
  );
}

/** The delete dialog's choice: a complaint also puts the address on the suppression list. */
function ComplaintChoice({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  const id = useId();
  return (
    <p className="complaint-choice">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />{' '}
      <label htmlFor={id}>
        As a complaint: keep it on the suppression list, so imports do not bring it back
      </label>
    </p>
  );
}
