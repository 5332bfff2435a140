import type { Subscriber } from '@catlist/contracts';
import { describe, expect, it } from 'vitest';
import { type ListState, listReducer, NO_FILTER } from './use-subscriber-list';

const at = (minute: number, email: string): Subscriber => ({
  email,
  createdAt: `2025-03-01T12:${String(minute).padStart(2, '0')}:00.000Z`,
  source: 'signup',
});

function loaded(items: Subscriber[], nextCursor: string | null = null): ListState {
  return {
    filter: NO_FILTER,
    phase: 'ready',
    items,
    nextCursor,
    matching: items.length + (nextCursor === null ? 0 : 10),
    overall: items.length + (nextCursor === null ? 0 : 10),
    pending: undefined,
    loadingMore: false,
    error: null,
  };
}

describe('listReducer', () => {
  const rows = [at(30, 'c@x.io'), at(20, 'a@x.io'), at(20, 'b@x.io'), at(10, 'd@x.io')];

  it('counts a removal down and a restore back up, in the API order', () => {
    const removed = listReducer(loaded(rows), { type: 'removed', email: 'b@x.io' });
    expect(removed.items.map((row) => row.email)).toEqual(['c@x.io', 'a@x.io', 'd@x.io']);
    expect([removed.matching, removed.overall]).toEqual([3, 3]);

    const restored = listReducer(removed, {
      type: 'restored',
      item: rows[2] as Subscriber,
      filter: NO_FILTER,
    });
    expect(restored.items).toEqual(rows);
    expect([restored.matching, restored.overall]).toEqual([4, 4]);
  });

  it('does not restore a row past the loaded ones while the next page would bring it', () => {
    const state = loaded(rows.slice(0, 3), 'cursor');
    const restored = listReducer(state, {
      type: 'restored',
      item: at(5, 'z@x.io'),
      filter: NO_FILTER,
    });
    expect(restored.items).toHaveLength(3);
    expect(restored.overall).toBe((state.overall ?? 0) + 1);
  });

  it('leaves the rows of a newer search alone, counting only the whole list', () => {
    const searching = { ...loaded([rows[0] as Subscriber]), filter: { ...NO_FILTER, q: 'c' } };
    const restored = listReducer(searching, {
      type: 'restored',
      item: rows[1] as Subscriber,
      filter: NO_FILTER,
    });
    expect(restored.items).toEqual(searching.items);
    expect(restored.matching).toBe(searching.matching);
    expect(restored.overall).toBe((searching.overall ?? 0) + 1);
  });

  it('ignores a page for a search the admin has moved on from, and skips duplicates', () => {
    const state = { ...loaded(rows.slice(0, 2), 'cursor'), filter: { ...NO_FILTER, q: 'x' } };
    const stale = listReducer(state, {
      type: 'page',
      filter: { ...NO_FILTER, q: 'old' },
      page: { items: [], nextCursor: null, total: 0 },
      append: false,
    });
    expect(stale).toBe(state);
    const appended = listReducer(state, {
      type: 'page',
      filter: { ...NO_FILTER, q: 'x' },
      page: { items: rows.slice(1), nextCursor: null, total: 4 },
      append: true,
    });
    expect(appended.items).toEqual(rows);
    expect(appended.matching).toBe(4);
    // A filtered total is not the size of the whole list.
    expect(appended.overall).toBe(state.overall);
  });

  it('narrows by status or source like a search: a stale page is dropped, the whole list kept', () => {
    const state = loaded(rows, null);
    const confirmed = listReducer(state, { type: 'filter', changes: { status: 'confirmed' } });
    expect(confirmed).toMatchObject({ phase: 'loading', filter: { q: '', status: 'confirmed' } });
    expect(listReducer(confirmed, { type: 'filter', changes: { status: 'confirmed' } })).toBe(
      confirmed,
    );
    const page = { items: rows.slice(0, 1), nextCursor: null, total: 1, pending: 2 };
    const stale = listReducer(confirmed, { type: 'page', filter: NO_FILTER, page, append: false });
    expect(stale).toBe(confirmed);
    const shown = listReducer(confirmed, {
      type: 'page',
      filter: { ...NO_FILTER, status: 'confirmed' },
      page,
      append: false,
    });
    expect(shown).toMatchObject({ matching: 1, overall: 4, pending: 2, phase: 'ready' });
  });
});
