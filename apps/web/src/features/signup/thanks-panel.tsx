import { useEffect, useId, useRef, useState } from 'react';
import { withAddress } from '../../components/breakable-address';
import { FieldError } from '../../components/field-error';
import { ApiError, api } from '../../lib/api-client';
import { useTexts } from '../../lib/texts';
import { describeError } from './describe-error';

// The API's answers meaning "this browser has nothing to unregister" (docs/http-api.md).
const NOTHING_TO_REMOVE = ['no_email_in_session', 'not_on_list'] as const;
type NothingToRemove = (typeof NOTHING_TO_REMOVE)[number];

function isNothingToRemove(error: unknown): error is ApiError & { code: NothingToRemove } {
  return error instanceof ApiError && (NOTHING_TO_REMOVE as readonly string[]).includes(error.code);
}

interface ThanksPanelProps {
  email: string;
  /** Waiting for confirmation by email: the visitor should check their inbox. */
  pending?: boolean;
  /** Take focus when shown, because the step before it removed what had focus. */
  autoFocus?: boolean;
  /**
   * Called with the address the API removed, and whether it was a pending signup withdrawn (it
   * never was on the list) rather than an address taken off it.
   */
  onRemoved: (email: string, wasPending: boolean) => void;
  /** Called when the API says there is nothing to remove, with the sentence to show. */
  onNothingToRemove: (message: string) => void;
}

/** "Thanks for signing up" with the Unregister button (`POST /api/unregister`). */
export function ThanksPanel({
  email,
  pending: confirming = false,
  autoFocus = false,
  onRemoved,
  onNothingToRemove,
}: ThanksPanelProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const errorId = `${useId()}-unregister-error`;
  const { t } = useTexts();

  useEffect(() => {
    if (autoFocus) heading.current?.focus();
  }, [autoFocus]);

  // Disabling the button dropped its focus; give it back once enabled, so a retry is one key away.
  useEffect(() => {
    if (!pending && error !== null) button.current?.focus();
  }, [pending, error]);

  async function handleUnregister() {
    if (pending) return;
    setError(null);
    setPending(true);
    try {
      const { removed } = await api.unregister();
      onRemoved(removed, confirming);
    } catch (failure) {
      if (isNothingToRemove(failure)) {
        // The seed app's own sentences, whatever wording the server used.
        onNothingToRemove(t(`error.${failure.code}`));
        return;
      }
      setError(describeError(failure, t));
      setPending(false);
    }
  }

  return (
    <section className="thanks">
      {/* Named in full: the address's parts are inline blocks, which a screen reader's name
          computation would separate with spaces. */}
      {confirming ? (
        <>
          <h2 ref={heading} tabIndex={-1} className="thanks-title">
            {t('pendingHeading')}
          </h2>
          <p>{withAddress(t('pendingText'), email)}</p>
        </>
      ) : (
        <>
          <h2
            ref={heading}
            tabIndex={-1}
            className="thanks-title"
            aria-label={t('thanksHeading', { email })}
          >
            {withAddress(t('thanksHeading'), email)}
          </h2>
          <p>{t('thanksText')}</p>
        </>
      )}
      <button
        ref={button}
        type="button"
        className="button button-secondary"
        disabled={pending}
        onClick={handleUnregister}
        aria-describedby={error === null ? undefined : errorId}
      >
        {pending ? t('unregistering') : confirming ? t('cancelSignup') : t('unregister')}
      </button>
      <FieldError id={errorId}>{error}</FieldError>
    </section>
  );
}
