import { type RefObject, useId, useMemo } from 'react';
import { formatCount, timeFormatter } from '../admin/list-format';
import { type Announcement, doneOf, formatProgress, percentDone } from './announcement-format';

interface SendProgressProps {
  announcement: Announcement;
  /** Where the action buttons are, for focus after one was pressed. */
  actionsRef: RefObject<HTMLDivElement | null>;
  busy: boolean;
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
}

/**
 * How far a send has come: a progress bar with its counts and percentage, where it stands in
 * words, and pause / resume / cancel while it is not finished.
 */
export function SendProgress({
  announcement,
  actionsRef,
  busy,
  onPause,
  onResume,
  onCancel,
}: SendProgressProps) {
  const ids = useId();
  const formatTime = useMemo(() => timeFormatter(), []);
  const { status, progress, startedAt, finishedAt } = announcement;
  const percent = percentDone(progress);
  const finished = status === 'sent' || status === 'cancelled';
  const when = (iso: string | null) => (iso === null ? '' : formatTime(iso));

  let state: string;
  if (status === 'sending') {
    state = progress.queueingDone
      ? `Sending since ${when(startedAt)}.`
      : `Sending since ${when(startedAt)}; still queueing recipients.`;
  } else if (status === 'paused') {
    state = 'Paused: nothing more leaves until you resume.';
  } else if (status === 'sent') {
    state = `Sent, finished ${when(finishedAt)}.`;
  } else {
    state = `Cancelled ${when(finishedAt)}: what had left stays sent.`;
  }

  return (
    <div className="send-progress">
      <p className="send-progress-state">{state}</p>
      <label htmlFor={`${ids}-bar`} className="send-progress-label">
        {percent}% done
      </label>
      <progress
        id={`${ids}-bar`}
        max={Math.max(1, progress.recipients)}
        value={progress.recipients === 0 && finished ? 1 : doneOf(progress)}
        aria-describedby={`${ids}-counts`}
      >
        {percent}%
      </progress>
      <p id={`${ids}-counts`} className="send-progress-counts">
        {formatProgress(progress)}
      </p>
      <p className="send-progress-counts">
        {formatCount(progress.waiting)} waiting · {formatCount(progress.unsubscribed)} unsubscribed
        through it
      </p>
      {!finished && (
        <div ref={actionsRef} className="announcement-actions">
          {status === 'sending' ? (
            <button type="button" className="button button-quiet" disabled={busy} onClick={onPause}>
              Pause
            </button>
          ) : (
            <button type="button" className="button" disabled={busy} onClick={onResume}>
              Resume
            </button>
          )}
          <button type="button" className="button button-danger" disabled={busy} onClick={onCancel}>
            Cancel the send…
          </button>
        </div>
      )}
    </div>
  );
}
