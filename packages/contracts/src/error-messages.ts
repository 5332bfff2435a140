import { EMAIL_PROBLEM_TEXTS, type EmailProblem } from './email.js';
import { type ErrorCode, errorCodes } from './errors.js';
import { texts } from './texts/en.js';

// A module of its own, so that only code that reads a message (the API, tests) loads English.

/**
 * The English message of each code (texts/en.ts, `error.<code>`), for the API's defaults and the
 * tests; a page shows the one in the visitor's language. Built, not written out, so the web app's
 * first load, which needs the codes only, carries no English.
 */
export const ERROR_MESSAGES: Readonly<Record<ErrorCode, string>> = Object.fromEntries(
  errorCodes.map((code) => [code, texts[`error.${code}`]]),
) as Record<ErrorCode, string>;

/** The English message of each address problem (checkEmail), as the API and the tools say it. */
export const EMAIL_MESSAGES: Readonly<Record<EmailProblem, string>> = {
  empty: texts[EMAIL_PROBLEM_TEXTS.empty],
  invalid: texts[EMAIL_PROBLEM_TEXTS.invalid],
  tooLong: texts[EMAIL_PROBLEM_TEXTS.tooLong],
  localTooLong: texts[EMAIL_PROBLEM_TEXTS.localTooLong],
};
