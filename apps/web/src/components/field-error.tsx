import type { ReactNode } from 'react';

/**
 * A field's error line. Always rendered, even empty, so screen readers are already watching the
 * live region when a message arrives.
 */
export function FieldError({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="field-error" aria-live="polite">
      {children}
    </p>
  );
}
