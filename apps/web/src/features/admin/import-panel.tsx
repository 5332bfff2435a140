import { type ImportPreview, type ImportResult, MAX_IMPORT_BYTES } from '@catlist/contracts';
import { type FormEvent, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { adminApi } from './admin-api';
import { describeImportError, IMPORT_TOO_LARGE, isUnauthorized } from './describe-admin-error';
import { formatCount } from './list-format';

type Step =
  | { kind: 'choose' }
  | { kind: 'checking'; name: string }
  | { kind: 'preview'; name: string; preview: ImportPreview }
  | { kind: 'importing'; name: string; preview: ImportPreview };

interface ImportPanelProps {
  /** The addresses are on the list: say so and show the list again. */
  onImported: (result: ImportResult, fileName: string) => void;
  onUnauthorized: () => void;
}

/**
 * "Import addresses": choose a CSV file, see what importing it would do (added, already there,
 * invalid lines), then import or cancel. The file is checked and staged by the server; nothing is
 * on the list until "Import" (adminApi.previewImport, adminApi.confirmImport).
 */
export function ImportPanel({ onImported, onUnauthorized }: ImportPanelProps) {
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const summary = useRef<HTMLHeadingElement>(null);
  const ids = useId();
  const fileId = `${ids}-file`;
  const errorId = `${ids}-error`;

  // Each step replaces the button that had focus: the preview continues at its heading; back at
  // the form (cancelled, or refused with a message), at the file input.
  const [focusFile, setFocusFile] = useState(false);
  useEffect(() => {
    if (step.kind === 'preview') summary.current?.focus();
  }, [step.kind]);
  useEffect(() => {
    if (!focusFile || step.kind !== 'choose') return;
    setFocusFile(false);
    fileInput.current?.focus();
  }, [focusFile, step.kind]);

  function fail(caught: unknown) {
    if (isUnauthorized(caught)) return onUnauthorized();
    setError(describeImportError(caught));
    setStep({ kind: 'choose' });
    setFocusFile(true);
  }

  function reset() {
    setStep({ kind: 'choose' });
    setFile(null);
    if (fileInput.current) fileInput.current.value = '';
  }

  async function check(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (step.kind !== 'choose') return;
    if (!file) {
      setError('Choose a CSV file first.');
      fileInput.current?.focus();
      return;
    }
    // Said at once rather than after sending megabytes the server would refuse.
    if (file.size > MAX_IMPORT_BYTES) {
      setError(IMPORT_TOO_LARGE);
      fileInput.current?.focus();
      return;
    }
    setError(null);
    setStep({ kind: 'checking', name: file.name });
    try {
      setStep({ kind: 'preview', name: file.name, preview: await adminApi.previewImport(file) });
    } catch (caught) {
      fail(caught);
    }
  }

  async function confirm(includeSuppressed: boolean) {
    if (step.kind !== 'preview') return;
    const { name, preview } = step;
    setStep({ kind: 'importing', name, preview });
    try {
      const result = await adminApi.confirmImport(preview.id, includeSuppressed);
      reset();
      onImported(result, name);
    } catch (caught) {
      fail(caught);
    }
  }

  function cancel() {
    if (step.kind === 'preview') {
      // Forgetting the staged rows is tidiness only; the server drops them after an hour anyway.
      adminApi.discardImport(step.preview.id).catch(() => {});
    }
    reset();
    setFocusFile(true);
  }

  const busy = step.kind === 'checking' || step.kind === 'importing';
  return (
    <div className="import-panel" aria-busy={busy}>
      {step.kind === 'choose' || step.kind === 'checking' ? (
        <form className="import-choose" onSubmit={check} noValidate>
          <p className="import-help">
            A CSV with an <code>email</code> column (such as the downloaded CSV) or one address per
            line. Addresses already on the list are left as they are.
          </p>
          <label htmlFor={fileId}>CSV file</label>
          <div className="import-row">
            <input
              ref={fileInput}
              id={fileId}
              type="file"
              accept=".csv,text/csv,text/plain"
              disabled={busy}
              aria-invalid={error !== null}
              aria-describedby={error !== null ? errorId : undefined}
              onChange={(event) => {
                setFile(event.target.files?.[0] ?? null);
                setError(null);
              }}
            />
            <button type="submit" className="button" disabled={busy}>
              {step.kind === 'checking' ? 'Checking file…' : 'Check file'}
            </button>
          </div>
          <FieldError id={errorId}>{error}</FieldError>
        </form>
      ) : (
        <ImportSummary
          step={step}
          headingRef={summary}
          onConfirm={confirm}
          onCancel={cancel}
          busy={busy}
        />
      )}
    </div>
  );
}

interface ImportSummaryProps {
  step: Extract<Step, { kind: 'preview' | 'importing' }>;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onConfirm: (includeSuppressed: boolean) => void;
  onCancel: () => void;
  busy: boolean;
}

/** What importing the checked file would do, with its invalid lines, and the two choices. */
function ImportSummary({ step, headingRef, onConfirm, onCancel, busy }: ImportSummaryProps) {
  const { name, preview } = step;
  const unshown = preview.invalid - preview.invalidLines.length;
  // Suppressed addresses (they unsubscribed, or were removed as a complaint) are skipped unless
  // the admin ticks the box: then they count as addresses to add.
  const [includeSuppressed, setIncludeSuppressed] = useState(false);
  const includeId = useId();
  const adding = preview.added + (includeSuppressed ? preview.suppressed : 0);
  return (
    <div className="import-summary">
      <h3 ref={headingRef} tabIndex={-1} className="import-title">
        {name}
      </h3>
      <ul className="import-counts">
        <li>
          <strong>{formatCount(preview.added)}</strong> new{' '}
          {preview.added === 1 ? 'address' : 'addresses'} to add
        </li>
        <li>
          <strong>{formatCount(preview.alreadyThere)}</strong> already on the list or repeated
        </li>
        <li>
          <strong>{formatCount(preview.invalid)}</strong> invalid{' '}
          {preview.invalid === 1 ? 'line' : 'lines'}
          {preview.invalid > 0 ? ', skipped' : ''}
        </li>
        {preview.suppressed > 0 && (
          <li>
            <strong>{formatCount(preview.suppressed)}</strong> on the suppression list (they
            unsubscribed or were removed as a complaint){includeSuppressed ? '' : ', skipped'}
          </li>
        )}
      </ul>
      {preview.suppressed > 0 && (
        <div className="import-include">
          <input
            id={includeId}
            type="checkbox"
            checked={includeSuppressed}
            disabled={busy}
            onChange={(event) => setIncludeSuppressed(event.target.checked)}
          />{' '}
          <label htmlFor={includeId}>
            Include suppressed addresses (only if their owners asked to be back)
          </label>
        </div>
      )}
      {preview.invalidLines.length > 0 && (
        <ul className="import-invalid" aria-label="Invalid lines">
          {preview.invalidLines.map((line) => (
            // The reason is a sentence that quotes the value (`"jane.doe@" is not a valid …`).
            <li key={line.line}>
              Line {line.line}: <span className="import-reason">{line.message}</span>
            </li>
          ))}
          {unshown > 0 && <li className="import-more">…and {formatCount(unshown)} more</li>}
        </ul>
      )}
      <div className="import-actions">
        {adding > 0 && (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => onConfirm(includeSuppressed)}
          >
            {step.kind === 'importing'
              ? 'Importing…'
              : `Import ${formatCount(adding)} ${adding === 1 ? 'address' : 'addresses'}`}
          </button>
        )}
        <button type="button" className="button button-quiet" disabled={busy} onClick={onCancel}>
          {adding > 0 ? 'Cancel' : 'Close'}
        </button>
      </div>
    </div>
  );
}
