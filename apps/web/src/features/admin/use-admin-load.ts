import { useEffect, useRef, useState } from 'react';
import { describeAdminError, isUnauthorized } from './describe-admin-error';

/** What a panel that asks the admin API for its data shows: nothing yet, loading, the data, or why not. */
export type AdminLoad<T> =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; data: T }
  | { kind: 'failed'; message: string };

/**
 * The state of one admin API request and the function that (re)sends it: a new request aborts
 * the one still under way, as does unmounting; a refused session calls `onUnauthorized`, any
 * other failure becomes a message to show with a retry.
 */
export function useAdminLoad<T>(
  get: (signal: AbortSignal) => Promise<T>,
  onUnauthorized: () => void,
): [AdminLoad<T>, () => void] {
  const [load, setLoad] = useState<AdminLoad<T>>({ kind: 'idle' });
  const request = useRef<AbortController | null>(null);
  useEffect(() => () => request.current?.abort(), []);

  function fetchData() {
    request.current?.abort();
    const controller = new AbortController();
    request.current = controller;
    setLoad({ kind: 'loading' });
    get(controller.signal).then(
      (data) => setLoad({ kind: 'ready', data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isUnauthorized(error)) onUnauthorized();
        else setLoad({ kind: 'failed', message: describeAdminError(error) });
      },
    );
  }

  return [load, fetchData];
}
