import { ERROR_MESSAGES } from '@catlist/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import { BreakableAddress } from '../../components/breakable-address';
import { FieldError } from '../../components/field-error';
import { ApiError, api } from '../../lib/api-client';
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
        onNothingToRemove(ERROR_MESSAGES[failure.code]);
        return;
      }
      setError(describeError(failure));
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
            Check your inbox
          </h2>
          <p>
            We have sent a link to <BreakableAddress email={email} />: your address joins the list
            once you open it.
          </p>
        </>
      ) : (
        <>
          <h2
            ref={heading}
            tabIndex={-1}
            className="thanks-title"
            aria-label={`Thanks for signing up, ${email}!`}
          >
            Thanks for signing up, <BreakableAddress email={email} />!
          </h2>
          <p>
            We will keep you posted. Changed your mind? You can take your address off the list at
            any time.
          </p>
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
        {pending ? 'Unregistering…' : confirming ? 'Cancel my signup' : 'Unregister'}
      </button>
      <FieldError id={errorId}>{error}</FieldError>
    </section>
  );
}
