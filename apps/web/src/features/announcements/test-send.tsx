import { type FormEvent, useId, useRef, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { isUnauthorized } from '../admin/describe-admin-error';
import { announcementApi } from './announcement-api';
import { describeAnnouncementError, testAddressProblem } from './announcement-format';

interface TestSendProps {
  id: string;
  /** The version to send; undefined: the default one. */
  language: string | undefined;
  /** Unsaved changes: the test would not show them. */
  disabled: boolean;
  onUnauthorized: () => void;
}

/** "Send a test": the saved draft to one address, now, to see it in a real mail program. */
export function TestSend({ id, language, disabled, onUnauthorized }: TestSendProps) {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const ids = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || disabled) return;
    const problem = testAddressProblem(email);
    if (problem !== null) {
      setError(problem);
      setStatus('');
      input.current?.focus();
      return;
    }
    const to = email.trim();
    setError(null);
    setBusy(true);
    setStatus(`Sending a test to ${to}…`);
    try {
      await announcementApi.test(id, to, language);
      setStatus(`Test sent to ${to}. It may take a minute to arrive.`);
    } catch (caught) {
      if (isUnauthorized(caught)) return onUnauthorized();
      setStatus('');
      setError(`Could not send the test. ${describeAnnouncementError(caught)}`);
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="announcement-test" onSubmit={submit} noValidate>
      <label htmlFor={`${ids}-email`}>Send a test to</label>
      <div className="import-row">
        <input
          ref={input}
          id={`${ids}-email`}
          type="email"
          autoComplete="email"
          value={email}
          aria-invalid={error !== null}
          aria-describedby={`${ids}-error`}
          onChange={(event) => {
            setEmail(event.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="button button-quiet" disabled={busy || disabled}>
          {busy ? 'Sending…' : 'Send test'}
        </button>
      </div>
      <FieldError id={`${ids}-error`}>{error}</FieldError>
      <p role="status" className="announcement-status">
        {status}
      </p>
    </form>
  );
}
