import { useTexts } from '../lib/texts';

interface LoadFailedProps {
  message: string;
  onRetry: () => void;
  /** The button's words; default: "Try again" in the page's language. */
  retryLabel?: string;
}

/** A page's "could not load" state: what went wrong, and a button to try again. */
export function LoadFailed({ message, onRetry, retryLabel }: LoadFailedProps) {
  const { t } = useTexts();
  return (
    <div className="load-failed">
      <p className="field-error">{message}</p>
      <button type="button" className="button" onClick={onRetry}>
        {retryLabel ?? t('tryAgain')}
      </button>
    </div>
  );
}
