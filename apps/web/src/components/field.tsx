import { type ComponentProps, type ReactNode, type RefObject, useEffect, useId } from 'react';
import { FieldError } from './field-error';

type FieldProps = Omit<
  ComponentProps<'input'>,
  'ref' | 'id' | 'name' | 'autoFocus' | 'children' | 'aria-invalid' | 'aria-describedby'
> & {
  /** The visible label, which also names the input. */
  label: string;
  name: string;
  /** The input, for the form to focus or select it, e.g. after a failed submission. */
  ref: RefObject<HTMLInputElement | null>;
  /** Take focus when shown, because the step before it removed what had focus. */
  autoFocus?: boolean;
  /** The message under the input, or null while the value is fine. */
  error: string | null;
  /** Shown beside the input in the same row, e.g. the form's submit button. */
  action?: ReactNode;
};

/** A labelled input and its error line; an error marks the input invalid and describes it. */
export function Field({
  label,
  name,
  ref,
  autoFocus = false,
  error,
  action,
  ...inputProps
}: FieldProps) {
  const inputId = `${useId()}-${name}`;
  const errorId = `${inputId}-error`;

  // An effect rather than the autofocus attribute: only a later step moves focus, never page load.
  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus, ref]);

  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <div className="field-row">
        {/* The error sits under the input, not under the action: on a narrow screen the action
            wraps below the input, and a message under the button reads as being about it. */}
        <div className="field-control">
          <input
            {...inputProps}
            ref={ref}
            id={inputId}
            name={name}
            aria-invalid={error !== null}
            aria-describedby={error === null ? undefined : errorId}
          />
          <FieldError id={errorId}>{error}</FieldError>
        </div>
        {action}
      </div>
    </div>
  );
}
