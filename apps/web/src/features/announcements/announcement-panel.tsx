import { useCallback, useState } from 'react';
import { useAdminLoad } from '../admin/use-admin-load';
import { announcementApi } from './announcement-api';
import { AnnouncementEditor } from './announcement-editor';
import { AnnouncementHistory } from './announcement-history';
import './announcements.css';

interface AnnouncementPanelProps {
  onUnauthorized: () => void;
}

/** Which announcement is open: a new one (null until saved) or one from the history. */
type Open = { id: string | null };

/**
 * "Announcements": the history (newest first, with counts), and one announcement at a time to
 * write, preview, try on one address, send, and follow. The history is asked for each time the
 * panel is opened or an announcement is closed, so its counts are current.
 */
export function AnnouncementPanel({ onUnauthorized }: AnnouncementPanelProps) {
  const [expanded, setExpanded] = useState(false);
  const [opened, setOpened] = useState<Open | null>(null);
  // The history row (or the "Write" button) to give focus back to after closing one.
  const [returnTo, setReturnTo] = useState<string | null>(null);
  const [history, fetchHistory] = useAdminLoad(
    (signal) => announcementApi.list(undefined, signal),
    onUnauthorized,
  );

  const clearReturnTo = useCallback(() => setReturnTo(null), []);

  function close(id: string | null) {
    setReturnTo(id ?? 'new');
    setOpened(null);
    fetchHistory();
  }

  return (
    <details
      className="import announcements"
      onToggle={(event) => {
        const open = (event.currentTarget as HTMLDetailsElement).open;
        setExpanded(open);
        if (open && opened === null) fetchHistory();
      }}
    >
      <summary>Announcements</summary>
      <div className="announcement-panel">
        {opened === null ? (
          <AnnouncementHistory
            load={history}
            onRetry={fetchHistory}
            focus={returnTo}
            onFocused={clearReturnTo}
            onOpen={(id) => setOpened({ id })}
            onChanged={fetchHistory}
            onUnauthorized={onUnauthorized}
          />
        ) : (
          <AnnouncementEditor
            id={opened.id}
            active={expanded}
            onClose={close}
            onUnauthorized={onUnauthorized}
          />
        )}
      </div>
    </details>
  );
}
