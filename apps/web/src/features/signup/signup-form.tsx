import { checkEmail, EMAIL_PROBLEM_TEXTS } from '@catlist/contracts';
import { type FormEvent, lazy, Suspense, useId, useRef, useState } from 'react';
import { Field } from '../../components/field';
import { ApiError, api } from '../../lib/api-client';
import { useSite } from '../../lib/site';
import { useTexts } from '../../lib/texts';
import type { ChallengeHandle } from '../challenge/challenge-widget';
import { describeError } from './describe-error';

// Only while the server has the signup challenge on: the widget is not in the first load.
const ChallengeWidget = lazy(() => import('../challenge/challenge-widget'));

interface SignupFormProps {
  /** Pre-filled address, e.g. one the session remembers but that is no longer on the list. */
  initialEmail?: string;
  /** Take focus when shown, because the step before it removed what had focus. */
  autoFocus?: boolean;
  /** Called as a submission starts, before validation. */
  onSubmitStart?: () => void;
  /**
   * Called with the normalised address, and whether it waits for confirmation by email (the API
   * sent a link) rather than being on the list already.
   */
  onSignedUp: (email: string, pending: boolean) => void;
}

/** The signup form: shared validation first, then `POST /api/signup`. */
export function SignupForm({
  initialEmail = '',
  autoFocus = false,
  onSubmitStart,
  onSignedUp,
}: SignupFormProps) {
  const [email, setEmail] = useState(initialEmail);
  const [website, setWebsite] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const { challenge } = useSite();
  const { t } = useTexts();
  const solver = useRef<ChallengeHandle>(null);
  const ids = useId();
  const websiteId = `${ids}-website`;

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    onSubmitStart?.();
    // The same rules and messages as the server (packages/contracts), without a round trip.
    const check = checkEmail(email);
    if (!check.ok) {
      setError(t(EMAIL_PROBLEM_TEXTS[check.problem]));
      input.current?.focus();
      return;
    }
    setError(null);
    setPending(true);
    try {
      // With the challenge on, the widget's solution (waiting for it if it is still working);
      // without one the server answers challenge_failed, which says to wait for the check.
      const altcha = challenge ? ((await solver.current?.solution()) ?? undefined) : undefined;
      const result = await api.signup({ email: check.email, website, altcha });
      onSignedUp(result.email, !result.subscribed);
    } catch (failure) {
      // A refused solution is spent or expired: the next submission needs a new one.
      if (failure instanceof ApiError && failure.code === 'challenge_failed') {
        solver.current?.reset();
      }
      setError(describeError(failure, t));
      setPending(false);
      input.current?.focus();
    }
  }

  return (
    <form className="signup-form" noValidate onSubmit={handleSubmit} aria-busy={pending}>
      <h2 className="form-title">{t('formHeading')}</h2>
      <p className="lede">{t('formLede')}</p>
      <Field
        ref={input}
        autoFocus={autoFocus}
        label={t('emailLabel')}
        name="email"
        type="email"
        autoComplete="email"
        autoCapitalize="off"
        spellCheck={false}
        required
        placeholder={t('emailPlaceholder')}
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={error}
        action={
          <button type="submit" className="button" disabled={pending}>
            {pending ? t('submitting') : t('submit')}
          </button>
        }
      />
      {challenge && (
        <Suspense fallback={null}>
          <ChallengeWidget handle={solver} />
        </Suspense>
      )}
      {/* Honeypot (see docs/http-api.md): off-screen rather than display:none, which some bots skip,
          and out of the accessibility tree and tab order so no person fills it in. */}
      <div className="honeypot" aria-hidden="true">
        <label htmlFor={websiteId}>{t('honeypotLabel')}</label>
        <input
          id={websiteId}
          name="website"
          type="text"
          tabIndex={-1}
          autoComplete="off"
          value={website}
          onChange={(event) => setWebsite(event.target.value)}
        />
      </div>
    </form>
  );
}
