import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { ApiError } from '../../lib/api-client';
import { useSite } from '../../lib/site';
import { AdminLoadView } from '../admin/admin-load-view';
import { ConfirmDialog } from '../admin/confirm-dialog';
import { isUnauthorized } from '../admin/describe-admin-error';
import { useAdminLoad } from '../admin/use-admin-load';
import { announcementApi } from './announcement-api';
import {
  type Announcement,
  checkMessages,
  describeAnnouncementError,
  formatRecipients,
  hasProblems,
  languageName,
  type MessageDraft,
  type MessageProblems,
  STATUS_LABELS,
} from './announcement-format';
import { MailPreview } from './mail-preview';
import { SendProgress } from './send-progress';
import { TestSend } from './test-send';

/** How often the progress of a send is asked for while it goes out. */
export const PROGRESS_POLL_MS = 1500;

interface AnnouncementEditorProps {
  /** The announcement to open; null for a new one. */
  id: string | null;
  /** The panel is open: follow a send's progress only while someone can see it. */
  active: boolean;
  /** Back to the history; the id of what was open, if it was saved. */
  onClose: (id: string | null) => void;
  onUnauthorized: () => void;
}

/** One announcement: a new one at once, a saved one once it has loaded. */
export function AnnouncementEditor({
  id,
  active,
  onClose,
  onUnauthorized,
}: AnnouncementEditorProps) {
  const [load, fetchAnnouncement] = useAdminLoad(
    (signal) => (id === null ? Promise.resolve(null) : announcementApi.get(id, signal)),
    onUnauthorized,
  );
  // Asked for once, when opened.
  useEffect(() => fetchAnnouncement(), []);
  return (
    <AdminLoadView load={load} onRetry={fetchAnnouncement}>
      {(initial) => (
        <AnnouncementView
          initial={initial}
          active={active}
          onClose={onClose}
          onUnauthorized={onUnauthorized}
        />
      )}
    </AdminLoadView>
  );
}

const sameMessages = (a: readonly MessageDraft[], b: readonly MessageDraft[] | null) =>
  b !== null &&
  a.length === b.length &&
  a.every(
    (m, i) => m.language === b[i]?.language && m.subject === b[i]?.subject && m.body === b[i]?.body,
  );

interface AnnouncementViewProps {
  initial: Announcement | null;
  active: boolean;
  onClose: (id: string | null) => void;
  onUnauthorized: () => void;
}

type Dialog = 'send' | 'cancel' | 'leave' | null;

function AnnouncementView({ initial, active, onClose, onUnauthorized }: AnnouncementViewProps) {
  const site = useSite();
  const [announcement, setAnnouncement] = useState<Announcement | null>(initial);
  const [messages, setMessages] = useState<MessageDraft[]>(
    initial?.messages ?? [{ language: site.defaultLanguage, subject: '', body: '' }],
  );
  const [saved, setSaved] = useState<MessageDraft[] | null>(initial?.messages ?? null);
  const [problems, setProblems] = useState<MessageProblems[] | null>(null);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState('');
  const [previewVersion, setPreviewVersion] = useState(0);
  const [previewLanguage, setPreviewLanguage] = useState<string | undefined>(undefined);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [recipients, setRecipients] = useState<number | null>(null);
  const [counting, setCounting] = useState(false);
  const [acting, setActing] = useState(false);
  const [focusAction, setFocusAction] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // What had focus when a dialog opened, to give it back when the dialog is cancelled.
  const beforeDialog = useRef<HTMLElement | null>(null);
  const actions = useRef<HTMLDivElement>(null);
  const ids = useId();

  const id = announcement?.id ?? null;
  const editable = announcement === null || announcement.status === 'draft';
  const dirty = editable && !sameMessages(messages, saved);
  const sending = announcement?.status === 'sending';

  // Opening one replaced the button that had focus: reading starts at its heading.
  useEffect(() => heading.current?.focus(), []);

  // After an action, once its answer is on screen: the first action button there is now (Resume
  // for Pause, Pause for Send), or the heading when none is left (sent, cancelled).
  useEffect(() => {
    if (!focusAction || acting) return;
    setFocusAction(false);
    const button = actions.current?.querySelector<HTMLButtonElement>('button:not(:disabled)');
    (button ?? heading.current)?.focus();
  }, [focusAction, acting]);

  // Closing the tab with unsaved text asks first (the browser's own words).
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // While it goes out and the panel is open, ask for its progress; one request at a time, each
  // answer (a new object, even unchanged) sets the next one off. A request under way when the
  // panel closes or the state changes is left to finish and its answer dropped: aborting it
  // would show as a failed request in the browser's tools on every pause.
  useEffect(() => {
    if (!sending || !active || id === null) return;
    let current = true;
    const timer = setTimeout(() => {
      announcementApi.get(id).then(
        (next) => {
          if (!current) return;
          setAnnouncement(next);
          if (next.status === 'sent') {
            setStatus(`Done: ${formatRecipients(next.progress.sent)} got it.`);
          } else if (next.status !== 'sending') setStatus(`${STATUS_LABELS[next.status]}.`);
        },
        (error: unknown) => {
          if (!current) return;
          if (isUnauthorized(error)) return onUnauthorized();
          // Try again on the next tick; a progress that stops moving says the rest.
          setAnnouncement((before) => (before === null ? before : { ...before }));
        },
      );
    }, PROGRESS_POLL_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [sending, active, id, announcement, onUnauthorized]);

  function edit(index: number, change: Partial<MessageDraft>) {
    setMessages((before) => before.map((m, i) => (i === index ? { ...m, ...change } : m)));
    setStatus('');
  }

  const unused = site.languages.filter((code) => !messages.some((m) => m.language === code));

  function addVersion() {
    const language = unused[0];
    if (language === undefined) return;
    setMessages((before) => [...before, { language, subject: '', body: '' }]);
    // The new version's subject is where the admin goes next.
    setTimeout(() => document.getElementById(`${ids}-subject-${messages.length}`)?.focus());
  }

  function removeVersion(index: number) {
    setMessages((before) => before.filter((_, i) => i !== index));
    setProblems(null);
    heading.current?.focus();
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    const checked = checkMessages(messages);
    if (hasProblems(checked)) {
      setProblems(checked);
      const first = checked.findIndex((p) => p.subject ?? p.body ?? p.language);
      const field = checked[first]?.language
        ? 'language'
        : checked[first]?.subject
          ? 'subject'
          : 'body';
      document.getElementById(`${ids}-${field}-${first}`)?.focus();
      return;
    }
    setProblems(null);
    setSaving(true);
    setStatus('Saving…');
    const draft = { messages: messages.map((m) => ({ ...m, subject: m.subject.trim() })) };
    try {
      const next =
        id === null ? await announcementApi.create(draft) : await announcementApi.update(id, draft);
      setAnnouncement(next);
      setMessages(next.messages);
      setSaved(next.messages);
      setPreviewVersion((n) => n + 1);
      setStatus('Draft saved. The preview shows it as it will be sent.');
    } catch (error) {
      if (isUnauthorized(error)) return onUnauthorized();
      setStatus(`Could not save the draft. ${describeAnnouncementError(error)}`);
    } finally {
      setSaving(false);
    }
  }

  function openDialog(kind: Exclude<Dialog, null>) {
    beforeDialog.current = document.activeElement as HTMLElement | null;
    setDialog(kind);
  }

  function closeDialog() {
    setDialog(null);
    // Once the page behind is no longer inert.
    setTimeout(() => beforeDialog.current?.focus());
  }

  function back() {
    if (dirty) openDialog('leave');
    else onClose(id);
  }

  async function askToSend() {
    if (counting) return;
    setCounting(true);
    setStatus('Counting the recipients…');
    try {
      setRecipients(await announcementApi.recipientCount());
      setStatus('');
      openDialog('send');
    } catch (error) {
      if (isUnauthorized(error)) return onUnauthorized();
      setStatus(`Could not count the recipients. ${describeAnnouncementError(error)}`);
    } finally {
      setCounting(false);
    }
  }

  /** Send, pause, resume or cancel; the answer is the announcement in its new state. */
  async function act(action: 'send' | 'pause' | 'resume' | 'cancel', done: string) {
    if (id === null || acting) return;
    setDialog(null);
    setActing(true);
    try {
      const next = await announcementApi[action](id);
      setAnnouncement(next);
      setStatus(done);
    } catch (error) {
      if (isUnauthorized(error)) return onUnauthorized();
      setStatus(describeAnnouncementError(error));
      // Someone else (another tab, the end of the send) moved it on: show where it is now.
      if (error instanceof ApiError && error.code === 'announcement_state') {
        announcementApi.get(id).then(setAnnouncement, () => {});
      }
    } finally {
      setActing(false);
    }
    // The button pressed is gone or was disabled (Pause became Resume): see the effect below.
    setFocusAction(true);
  }

  const subject = saved?.[0]?.subject ?? '';
  const shownProblems = problems ?? [];

  return (
    <>
      <div className="announcement-view" inert={dialog !== null}>
        <div className="announcement-head">
          <h3 ref={heading} tabIndex={-1} className="import-title">
            {announcement === null ? 'New announcement' : subject}
          </h3>
          <button type="button" className="button button-quiet button-small" onClick={back}>
            Back to all announcements
          </button>
        </div>
        {announcement !== null && (
          <p className="announcement-state">
            <span className={`status-tag status-${announcement.status}`}>
              {STATUS_LABELS[announcement.status]}
            </span>
          </p>
        )}

        {editable ? (
          <form className="announcement-form" onSubmit={save} noValidate>
            {messages.map((message, index) => {
              const p = shownProblems[index] ?? {};
              const field = (name: string) => `${ids}-${name}-${index}`;
              return (
                <fieldset key={message.language + String(index)} className="announcement-version">
                  <legend>
                    {index === 0
                      ? `Version in ${languageName(message.language)} (the default)`
                      : `Version in ${languageName(message.language)}`}
                  </legend>
                  <label htmlFor={field('language')}>Language</label>
                  <select
                    id={field('language')}
                    value={message.language}
                    aria-invalid={p.language !== undefined}
                    aria-describedby={field('language-error')}
                    onChange={(event) => edit(index, { language: event.target.value })}
                  >
                    {site.languages.map((code) => (
                      <option
                        key={code}
                        value={code}
                        disabled={code !== message.language && !unused.includes(code)}
                      >
                        {languageName(code)}
                      </option>
                    ))}
                  </select>
                  <FieldError id={field('language-error')}>{p.language}</FieldError>

                  <label htmlFor={field('subject')}>Subject</label>
                  <input
                    id={field('subject')}
                    type="text"
                    autoComplete="off"
                    value={message.subject}
                    aria-invalid={p.subject !== undefined}
                    aria-describedby={field('subject-error')}
                    onChange={(event) => edit(index, { subject: event.target.value })}
                  />
                  <FieldError id={field('subject-error')}>{p.subject}</FieldError>

                  <label htmlFor={field('body')}>Message</label>
                  <p id={field('body-hint')} className="announcement-hint">
                    Markdown: <code>**bold**</code>, <code>*italic*</code>,{' '}
                    <code>[a link](https://example.com)</code>, <code># Heading</code>,{' '}
                    <code>- a list item</code>; an empty line starts a new paragraph. HTML is shown
                    as text. Every mail ends with an unsubscribe link.
                  </p>
                  <textarea
                    id={field('body')}
                    rows={12}
                    value={message.body}
                    aria-invalid={p.body !== undefined}
                    aria-describedby={`${field('body-hint')} ${field('body-error')}`}
                    onChange={(event) => edit(index, { body: event.target.value })}
                  />
                  <FieldError id={field('body-error')}>{p.body}</FieldError>
                  {index > 0 && (
                    <button
                      type="button"
                      className="button button-quiet button-small"
                      onClick={() => removeVersion(index)}
                    >
                      Remove the {languageName(message.language)} version
                    </button>
                  )}
                </fieldset>
              );
            })}
            {site.languages.length > 1 && (
              <p className="announcement-add">
                <button
                  type="button"
                  className="button button-quiet button-small"
                  disabled={unused.length === 0}
                  onClick={addVersion}
                >
                  Add a version in another language
                </button>{' '}
                <span className="announcement-hint">
                  Each subscriber gets the version in their language, or the first one.
                </span>
              </p>
            )}
            <div className="announcement-save">
              <button type="submit" className="button" disabled={saving}>
                {saving ? 'Saving…' : 'Save draft'}
              </button>
              {dirty && <span className="announcement-dirty">Unsaved changes</span>}
            </div>
          </form>
        ) : (
          <div className="announcement-sent-text">
            {(announcement?.messages ?? []).map((message) => (
              <section
                key={message.language}
                aria-label={`Version in ${languageName(message.language)}`}
              >
                <h4 className="announcement-version-title">
                  Version in {languageName(message.language)}: {message.subject}
                </h4>
                <pre className="announcement-source">{message.body}</pre>
              </section>
            ))}
          </div>
        )}

        <p role="status" className="announcement-status">
          {status}
        </p>

        {announcement !== null && saved !== null && (
          <>
            {dirty && (
              <p className="announcement-hint">
                The preview, the test and sending use the saved draft: save your changes first.
              </p>
            )}
            <MailPreview
              id={announcement.id}
              languages={saved.map((m) => m.language)}
              language={previewLanguage}
              onLanguage={setPreviewLanguage}
              version={previewVersion}
              onUnauthorized={onUnauthorized}
            />
            {editable && (
              <TestSend
                id={announcement.id}
                language={previewLanguage}
                disabled={dirty}
                onUnauthorized={onUnauthorized}
              />
            )}
            <section className="announcement-send" aria-labelledby={`${ids}-send`}>
              <h4 id={`${ids}-send`} className="announcement-section-title">
                {editable ? 'Send it' : 'Sending'}
              </h4>
              {editable ? (
                <div ref={actions} className="announcement-actions">
                  <button
                    type="button"
                    className="button"
                    disabled={dirty || acting}
                    onClick={askToSend}
                  >
                    {counting ? 'Counting…' : 'Send to the list…'}
                  </button>
                </div>
              ) : (
                <SendProgress
                  announcement={announcement}
                  actionsRef={actions}
                  busy={acting}
                  onPause={() => act('pause', 'Paused: nothing more leaves until you resume.')}
                  onResume={() => act('resume', 'Resumed.')}
                  onCancel={() => openDialog('cancel')}
                />
              )}
            </section>
          </>
        )}
      </div>

      {dialog === 'send' && (
        <ConfirmDialog
          title={`Send “${subject}” to ${formatRecipients(recipients ?? 0)}?`}
          confirmLabel="Send now"
          onConfirm={() => act('send', 'Sending has started.')}
          onCancel={closeDialog}
        >
          <p>
            {recipients === 0
              ? 'No one would get it: the list has no confirmed subscribers yet.'
              : `Every confirmed subscriber gets it (${formatRecipients(recipients ?? 0)} now), in their language when it has a version in it, otherwise in ${languageName(saved?.[0]?.language ?? '')}.`}
          </p>
          <p>
            The mails go out at the pace the server is set to; you can pause or cancel while they
            do. What has gone out cannot be called back.
          </p>
        </ConfirmDialog>
      )}
      {dialog === 'cancel' && (
        <ConfirmDialog
          title="Cancel the rest of this send?"
          confirmLabel="Cancel the send"
          cancelLabel="Keep sending"
          onConfirm={() => act('cancel', 'Cancelled: no more mails leave.')}
          onCancel={closeDialog}
        >
          <p>
            No more mails leave; the {formatRecipients(announcement?.progress.sent ?? 0)} who got it
            keep it. A cancelled announcement cannot be resumed.
          </p>
        </ConfirmDialog>
      )}
      {dialog === 'leave' && (
        <ConfirmDialog
          title="Leave without saving?"
          confirmLabel="Discard changes"
          cancelLabel="Keep editing"
          onConfirm={() => onClose(id)}
          onCancel={closeDialog}
        >
          <p>Your changes since the last save are lost.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
