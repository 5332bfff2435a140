import { type FormEvent, useId, useRef, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { ApiError } from '../../lib/api-client';
import { adminApi } from './admin-api';
import { describeAdminError, isUnauthorized } from './describe-admin-error';

interface AddOnePanelProps {
  /** The address is on the list (or was already, or was mailed): say so, show the list again. */
  onAdded: (email: string, outcome: 'added' | 'already' | 'mailed') => void;
  /** Confirmation by email is on: offer to send a confirmation mail instead. */
  withConfirmation: boolean;
  onUnauthorized: () => void;
}

/**
 * "Add one address": the admin puts one address on the list directly (POST
 * /api/admin/subscribers, source `admin`, no confirmation mail). An address on the suppression
 * list is refused until the admin ticks "Add it anyway", which the refusal brings up.
 */
export function AddOnePanel({ onAdded, onUnauthorized, withConfirmation }: AddOnePanelProps) {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [suppressed, setSuppressed] = useState(false);
  const [anyway, setAnyway] = useState(false);
  const [busy, setBusy] = useState(false);
  // With confirmation on, a mail is the default: the address joins when its owner says so.
  const [mail, setMail] = useState(true);
  const input = useRef<HTMLInputElement>(null);
  const ids = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await adminApi.addSubscriber(email, anyway, withConfirmation && mail);
      setEmail('');
      setSuppressed(false);
      setAnyway(false);
      onAdded(result.email, result.outcome);
    } catch (caught) {
      if (isUnauthorized(caught)) return onUnauthorized();
      if (caught instanceof ApiError && caught.code === 'suppressed') setSuppressed(true);
      setError(describeAdminError(caught));
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="import add-one">
      <summary>Add one address</summary>
      <form className="add-one-form" onSubmit={submit} noValidate>
        <p className="import-help">
          {withConfirmation
            ? 'Sends a confirmation mail, as a signup does, or adds the address at once.'
            : 'Adds the address at once, without a confirmation mail.'}{' '}
          Only with its owner’s consent.
        </p>
        <label htmlFor={`${ids}-email`}>Email address</label>
        <div className="import-row">
          <input
            ref={input}
            id={`${ids}-email`}
            type="email"
            name="email"
            autoComplete="off"
            value={email}
            disabled={busy}
            aria-invalid={error !== null}
            aria-describedby={error !== null ? `${ids}-error` : undefined}
            onChange={(event) => {
              setEmail(event.target.value);
              setError(null);
              setSuppressed(false);
              setAnyway(false);
            }}
          />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Adding…' : 'Add'}
          </button>
        </div>
        <FieldError id={`${ids}-error`}>{error}</FieldError>
        {withConfirmation && (
          <div className="import-include">
            <input
              id={`${ids}-mail`}
              type="checkbox"
              checked={mail}
              onChange={(event) => setMail(event.target.checked)}
            />{' '}
            <label htmlFor={`${ids}-mail`}>
              Send a confirmation mail (it joins once its owner opens the link)
            </label>
          </div>
        )}
        {suppressed && (
          <div className="import-include">
            <input
              id={`${ids}-anyway`}
              type="checkbox"
              checked={anyway}
              onChange={(event) => setAnyway(event.target.checked)}
            />{' '}
            <label htmlFor={`${ids}-anyway`}>
              Add it anyway: its owner asked to be back (takes it off the suppression list)
            </label>
          </div>
        )}
      </form>
    </details>
  );
}
