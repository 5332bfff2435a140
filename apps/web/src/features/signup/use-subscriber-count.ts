import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../lib/api-client';

/** The subscriber count from `GET /api/stats`, and a way to ask again after a change. */
export function useSubscriberCount(): { count: number | null; refresh: () => void } {
  const [count, setCount] = useState<number | null>(null);
  const latest = useRef(0);

  const refresh = useCallback(() => {
    // Only the newest answer counts: an older, slower one must not overwrite it.
    const request = ++latest.current;
    api.getStats().then(
      ({ subscribers }) => {
        if (request === latest.current) setCount(subscribers);
      },
      () => {
        // The count is a nicety; the page works without it, so a failure just keeps the old one.
      },
    );
  }, []);

  useEffect(() => refresh(), [refresh]);

  return { count, refresh };
}
