import type { ReactNode } from 'react';
import { LoadFailed } from '../../components/load-failed';
import { type AdminLoad, useAdminLoad } from './use-admin-load';

/** An admin request's data (drawn by `children`), its failure with a retry, or "Loading…". */
export function AdminLoadView<T>({
  load,
  onRetry,
  children,
}: {
  load: AdminLoad<T>;
  onRetry: () => void;
  children: (data: T) => ReactNode;
}) {
  if (load.kind === 'ready') return children(load.data);
  if (load.kind === 'failed') return <LoadFailed message={load.message} onRetry={onRetry} />;
  return <p className="loading">Loading…</p>;
}

interface LoadOnOpenProps<T> {
  /** The classes of the <details> and of the box inside it. */
  className: string;
  bodyClassName: string;
  summary: string;
  get: (signal: AbortSignal) => Promise<T>;
  onUnauthorized: () => void;
  children: (data: T) => ReactNode;
}

/** A disclosure panel that asks for its data the first time it is opened, and keeps it. */
export function LoadOnOpen<T>({
  className,
  bodyClassName,
  summary,
  get,
  onUnauthorized,
  children,
}: LoadOnOpenProps<T>) {
  const [load, fetchData] = useAdminLoad(get, onUnauthorized);
  return (
    <details
      className={className}
      onToggle={(event) => {
        if ((event.currentTarget as HTMLDetailsElement).open && load.kind === 'idle') fetchData();
      }}
    >
      <summary>{summary}</summary>
      <div className={bodyClassName} aria-busy={load.kind === 'loading'}>
        <AdminLoadView load={load} onRetry={fetchData}>
          {children}
        </AdminLoadView>
      </div>
    </details>
  );
}
