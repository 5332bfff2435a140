import { type FormEvent, useRef, useState } from 'react';
import { Field } from '../../components/field';
import { adminApi } from './admin-api';
import { describeLoginError } from './describe-admin-error';

interface LoginFormProps {
  /** Take focus when shown, because the step before it removed what had focus. */
  autoFocus?: boolean;
  /** Called as a submission starts, e.g. to clear an earlier notice. */
  onSubmitStart?: () => void;
  onLoggedIn: () => void;
}

/** The single-password admin login (`POST /api/admin/login`). */
export function LoginForm({ autoFocus = false, onSubmitStart, onLoggedIn }: LoginFormProps) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    onSubmitStart?.();
    if (password === '') {
      setError('Please enter the admin password.');
      input.current?.focus();
      return;
    }
    setError(null);
    setPending(true);
    try {
      await adminApi.adminLogin({ password });
      onLoggedIn();
    } catch (failure) {
      setError(describeLoginError(failure));
      setPending(false);
      input.current?.select();
      input.current?.focus();
    }
  }

  return (
    <form className="login-form" noValidate onSubmit={handleSubmit} aria-busy={pending}>
      <h2 className="form-title">Log in</h2>
      <p className="lede">The admin area lists everyone who signed up.</p>
      {/* Password managers file a password under a user name; the admin has just the one. */}
      <input type="text" name="username" autoComplete="username" value="admin" readOnly hidden />
      <Field
        ref={input}
        autoFocus={autoFocus}
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={error}
        action={
          <button type="submit" className="button" disabled={pending}>
            {pending ? 'Logging in…' : 'Log in'}
          </button>
        }
      />
    </form>
  );
}
