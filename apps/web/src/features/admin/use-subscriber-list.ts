import {
  DEFAULT_PAGE_SIZE,
  type Subscriber,
  type SubscriberSort,
  type SubscriberSource,
  type SubscriberStatus,
  type SubscribersPage,
} from '@catlist/contracts';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { ApiError } from '../../lib/api-client';
import { adminApi } from './admin-api';
import { describeAdminError, isUnauthorized } from './describe-admin-error';

/** Rows per request; the API's default page. */
export const PAGE_SIZE = DEFAULT_PAGE_SIZE;

/**
 * What the rows answer to: a search text, a status and a source ('' for none of each), and their
 * order ('' for the server's default, newest first).
 */
export interface ListFilter {
  q: string;
  status: SubscriberStatus | '';
  source: SubscriberSource | '';
  sort: SubscriberSort | '';
}

export const NO_FILTER: ListFilter = { q: '', status: '', source: '', sort: '' };

export const sameFilter = (a: ListFilter, b: ListFilter) =>
  a.q === b.q && a.status === b.status && a.source === b.source && a.sort === b.sort;

/** Whether anything narrows the list (the order does not). */
export const isFiltered = (filter: ListFilter) =>
  filter.q !== '' || filter.status !== '' || filter.source !== '';

/** The filter as the API's query parameters (empty ones left out). */
function filterQuery({ q, status, source, sort }: ListFilter) {
  return {
    q: q || undefined,
    status: status || undefined,
    source: source || undefined,
    sort: sort || undefined,
  };
}

/** The loaded part of the list, as the admin page shows it. */
export interface ListState {
  /** The filter the rows answer to. */
  filter: ListFilter;
  /** The first page for `filter`: still coming, shown, or failed with `error`. */
  phase: 'loading' | 'ready' | 'failed';
  items: readonly Subscriber[];
  nextCursor: string | null;
  /** How many addresses match `filter` (all of them without one). */
  matching: number;
  /** How many addresses are on the list whatever the filter; null until first known. */
  overall: number | null;
  /**
   * With confirmation by email on, how many signups wait for confirmation (they are not on the
   * list); undefined while unknown or with confirmation off.
   */
  pending: number | undefined;
  loadingMore: boolean;
  /** Why the first page or the next one could not be loaded. */
  error: string | null;
}

type Action =
  | { type: 'filter'; changes: Partial<ListFilter> }
  | { type: 'retry' }
  | { type: 'page'; filter: ListFilter; page: SubscribersPage; append: boolean }
  | { type: 'failed'; filter: ListFilter; message: string }
  | { type: 'more' }
  | { type: 'more-failed'; message: string }
  | { type: 'removed'; email: string }
  | { type: 'restored'; item: Subscriber; filter: ListFilter };

const INITIAL: ListState = {
  filter: NO_FILTER,
  phase: 'loading',
  items: [],
  nextCursor: null,
  matching: 0,
  overall: null,
  pending: undefined,
  loadingMore: false,
  error: null,
};

/** The API's order: newest first, ties by address (docs/http-api.md). ISO-8601 UTC sorts as text. */
function comesBefore(a: Subscriber, b: Subscriber): boolean {
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.email < b.email);
}

/** Puts a row whose delete failed back in its place, if that place is within what is loaded. */
function reinsert(state: ListState, item: Subscriber): readonly Subscriber[] {
  if (state.items.some((row) => row.email === item.email)) return state.items;
  const at = state.items.findIndex((row) => comesBefore(item, row));
  // Past the last loaded row with more to come: the next page brings it, so do not show it twice.
  if (at === -1 && state.nextCursor !== null) return state.items;
  const index = at === -1 ? state.items.length : at;
  return [...state.items.slice(0, index), item, ...state.items.slice(index)];
}

/** How the list changes with each step; exported for its own tests. */
export function listReducer(state: ListState, action: Action): ListState {
  switch (action.type) {
    case 'filter': {
      const filter = { ...state.filter, ...action.changes };
      if (sameFilter(filter, state.filter)) return state;
      // Keep the old rows on screen (marked busy) until the new ones arrive.
      return { ...state, filter, phase: 'loading', loadingMore: false, error: null };
    }
    case 'retry':
      return { ...state, phase: 'loading', error: null };
    case 'page': {
      if (!sameFilter(action.filter, state.filter)) return state;
      const { items, nextCursor, total, pending } = action.page;
      let rows = items;
      if (action.append) {
        const seen = new Set(state.items.map((row) => row.email));
        rows = [...state.items, ...items.filter((row) => !seen.has(row.email))];
      }
      return {
        ...state,
        phase: 'ready',
        items: rows,
        nextCursor,
        matching: total,
        overall: isFiltered(state.filter) ? state.overall : total,
        pending,
        loadingMore: false,
        error: null,
      };
    }
    case 'failed':
      if (!sameFilter(action.filter, state.filter)) return state;
      return { ...state, phase: 'failed', items: [], nextCursor: null, error: action.message };
    case 'more':
      return { ...state, loadingMore: true, error: null };
    case 'more-failed':
      return { ...state, loadingMore: false, error: action.message };
    case 'removed': {
      const items = state.items.filter((row) => row.email !== action.email);
      if (items.length === state.items.length) return state;
      return {
        ...state,
        items,
        matching: Math.max(0, state.matching - 1),
        overall: state.overall === null ? null : Math.max(0, state.overall - 1),
      };
    }
    case 'restored': {
      const overall = state.overall === null ? null : state.overall + 1;
      // A different search has replaced the rows since; its own counts already stand.
      if (!sameFilter(action.filter, state.filter)) return { ...state, overall };
      return {
        ...state,
        items: reinsert(state, action.item),
        matching: state.matching + 1,
        overall,
      };
    }
  }
}

/** What became of a delete: done (or already done elsewhere), or undone with the reason. */
export type DeleteOutcome =
  | { kind: 'deleted' }
  | { kind: 'already-gone' }
  | { kind: 'failed'; message: string }
  | { kind: 'unauthorized' };

/**
 * The admin's view of the list: the first page for the current search, further pages on
 * request, and optimistic deletes. `onUnauthorized` runs when the API says the admin session
 * is over, from whichever call noticed.
 */
export function useSubscriberList(onUnauthorized: () => void) {
  const [state, dispatch] = useReducer(listReducer, INITIAL);
  const [attempt, retry] = useReducer((n: number) => n + 1, 0);
  const latest = useRef(state);
  latest.current = state;
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;
  // Cancels a "load more" that belongs to a search the admin has moved on from.
  const more = useRef<AbortController | null>(null);

  // The first page, whenever the filter changes (and again on retry).
  useEffect(() => {
    const filter = state.filter;
    const controller = new AbortController();
    more.current?.abort();
    adminApi.listSubscribers({ limit: PAGE_SIZE, ...filterQuery(filter) }, controller.signal).then(
      (page) => dispatch({ type: 'page', filter, page, append: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isUnauthorized(error)) unauthorized.current();
        else dispatch({ type: 'failed', filter, message: describeAdminError(error) });
      },
    );
    return () => controller.abort();
  }, [state.filter, attempt]);

  useEffect(() => () => more.current?.abort(), []);

  /** Changes part of the filter (the search text, the status, the source). */
  const refine = useCallback(
    (changes: Partial<ListFilter>) => dispatch({ type: 'filter', changes }),
    [],
  );

  const retryFirstPage = useCallback(() => {
    dispatch({ type: 'retry' });
    retry();
  }, []);

  /** Fetches the next page; resolves with the rows it added (none on failure). */
  const loadMore = useCallback(async (): Promise<readonly Subscriber[]> => {
    const { filter, nextCursor, loadingMore, items } = latest.current;
    if (nextCursor === null || loadingMore) return [];
    const controller = new AbortController();
    more.current = controller;
    dispatch({ type: 'more' });
    try {
      const page = await adminApi.listSubscribers(
        { limit: PAGE_SIZE, cursor: nextCursor, ...filterQuery(filter) },
        controller.signal,
      );
      dispatch({ type: 'page', filter, page, append: true });
      const seen = new Set(items.map((row) => row.email));
      return page.items.filter((row) => !seen.has(row.email));
    } catch (error) {
      if (controller.signal.aborted) return [];
      if (isUnauthorized(error)) unauthorized.current();
      else dispatch({ type: 'more-failed', message: describeAdminError(error) });
      return [];
    }
  }, []);

  /** Removes `item` from view at once, then asks the API; puts it back if that fails. */
  const remove = useCallback(
    async (item: Subscriber, complaint = false): Promise<DeleteOutcome> => {
      const { filter } = latest.current;
      dispatch({ type: 'removed', email: item.email });
      try {
        await adminApi.deleteSubscriber(item.email, complaint);
        return { kind: 'deleted' };
      } catch (error) {
        if (isUnauthorized(error)) {
          unauthorized.current();
          return { kind: 'unauthorized' };
        }
        // Someone else removed it first: the row is rightly gone.
        if (error instanceof ApiError && error.code === 'not_on_list')
          return { kind: 'already-gone' };
        dispatch({ type: 'restored', item, filter });
        return { kind: 'failed', message: describeAdminError(error) };
      }
    },
    [],
  );

  return { state, refine, retry: retryFirstPage, loadMore, remove };
}
