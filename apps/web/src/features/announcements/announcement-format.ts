import {
  type AnnouncementMessage as AnnouncementMessageSchema,
  type AnnouncementProgress as AnnouncementProgressSchema,
  type Announcement as AnnouncementSchema,
  type AnnouncementStatus as AnnouncementStatusSchema,
  type AnnouncementSummary as AnnouncementSummarySchema,
  checkEmail,
  type EmailProblem,
  MAX_ANNOUNCEMENT_BODY,
  MAX_ANNOUNCEMENT_SUBJECT,
} from '@catlist/contracts';
import type * as z from 'zod/mini';
import { ApiError } from '../../lib/api-client';
import { describeAdminError } from '../admin/describe-admin-error';
import { formatCount } from '../admin/list-format';

// The contract exports the announcement schemas without their types: read them off the schemas.
export type Announcement = z.infer<typeof AnnouncementSchema>;
export type AnnouncementSummary = z.infer<typeof AnnouncementSummarySchema>;
export type AnnouncementMessage = z.infer<typeof AnnouncementMessageSchema>;
export type AnnouncementProgress = z.infer<typeof AnnouncementProgressSchema>;
export type AnnouncementStatus = z.infer<typeof AnnouncementStatusSchema>;

export const STATUS_LABELS: Record<AnnouncementStatus, string> = {
  draft: 'Draft',
  sending: 'Sending',
  paused: 'Paused',
  sent: 'Sent',
  cancelled: 'Cancelled',
};

/** Recipients the outbox is done with: sent, failed for good, or skipped. */
export const doneOf = (progress: AnnouncementProgress) =>
  progress.sent + progress.failed + progress.skipped;

/**
 * How far along, in whole percent of the recipients queued so far (rounded down, so 100% means
 * every one is done); 0 before any is queued.
 */
export function percentDone(progress: AnnouncementProgress): number {
  if (progress.recipients === 0) return progress.queueingDone ? 100 : 0;
  return Math.floor((doneOf(progress) * 100) / progress.recipients);
}

/** "120 queued · 80 sent · 1 failed · 2 skipped": the counts beside the progress bar. */
export function formatProgress(progress: AnnouncementProgress): string {
  const queued = `${formatCount(progress.recipients)} queued${progress.queueingDone ? '' : ' so far'}`;
  return [
    queued,
    `${formatCount(progress.sent)} sent`,
    `${formatCount(progress.failed)} failed`,
    `${formatCount(progress.skipped)} skipped`,
  ].join(' · ');
}

/** "German" for `de`: the admin area is in English, whatever the site's languages. */
const LANGUAGE = new Intl.DisplayNames(['en'], { type: 'language' });
export const languageName = (code: string) => LANGUAGE.of(code) ?? code;

/** "1 subscriber", "1,234 subscribers" would get it. */
export const formatRecipients = (count: number) =>
  `${formatCount(count)} ${count === 1 ? 'subscriber' : 'subscribers'}`;

/** The editable part of a version; what the compose form holds. */
export type MessageDraft = AnnouncementMessage;

/** Why a version cannot be saved, per field; empty when it can. */
export interface MessageProblems {
  subject?: string;
  body?: string;
  language?: string;
}

/** The contract's rules, said before the request (the API says the same, less precisely). */
export function checkMessages(messages: readonly MessageDraft[]): MessageProblems[] {
  const seen = new Set<string>();
  return messages.map((message) => {
    const problems: MessageProblems = {};
    const subject = message.subject.trim();
    if (subject === '') problems.subject = 'Write a subject.';
    else if (subject.length > MAX_ANNOUNCEMENT_SUBJECT) {
      problems.subject = `Keep the subject to ${MAX_ANNOUNCEMENT_SUBJECT} characters (it has ${formatCount(subject.length)}).`;
    }
    if (message.body.trim() === '') problems.body = 'Write the message.';
    else if (message.body.length > MAX_ANNOUNCEMENT_BODY) {
      problems.body = `Keep the message to ${formatCount(MAX_ANNOUNCEMENT_BODY)} characters (it has ${formatCount(message.body.length)}).`;
    }
    if (seen.has(message.language)) problems.language = 'Another version is in this language.';
    seen.add(message.language);
    return problems;
  });
}

export const hasProblems = (problems: readonly MessageProblems[]) =>
  problems.some((p) => p.subject !== undefined || p.body !== undefined || p.language !== undefined);

// The admin area's English for the signup form's address rules. Not EMAIL_MESSAGES (it brings
// the whole English catalog) nor EMAIL_PROBLEM_TEXTS: each contract export this chunk shares with
// the signup page is a name more in that page's first load, which has no bytes to spare.
const ADDRESS_PROBLEMS: Record<EmailProblem, string> = {
  empty: 'Enter the address to send the test to.',
  invalid: 'That does not look like an email address. Check it for typos.',
  tooLong: 'That address is too long to be real.',
  localTooLong: 'The part before the @ is too long to be real.',
};

/** The test address's problem under the signup form's rules (checkEmail), or null. */
export function testAddressProblem(input: string): string | null {
  const checked = checkEmail(input);
  return checked.ok ? null : ADDRESS_PROBLEMS[checked.problem];
}

/** Sending needs mail: say what turns it on, not only that it is off. */
export const MAIL_DISABLED =
  'Mail is off on this server, so announcements cannot be sent. Set MAIL_URL where the server ' +
  'runs (see docs/operations.md) and restart it.';

/** The sentence shown for a failed announcement call. */
export function describeAnnouncementError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'mail_disabled') return MAIL_DISABLED;
  return describeAdminError(error);
}
