import { MAX_EMAIL_LENGTH, MAX_LOCAL_PART_LENGTH } from '../email.js';
import type { LanguageFile } from './catalog.js';

/**
 * English, the reference language: every other language file must have every key here
 * (`Catalog`). `{name}` marks a value put in when the text is used (`fill`). Texts talk about
 * no one's topic in particular; `demo` holds the Cats Everywhere demo's own wording, used while
 * SITE_NAME is unset.
 */
export const texts = {
  // Shared
  loading: 'Loading…',
  tryAgain: 'Try again',
  somethingWrong: 'Something went wrong. Please try again.',
  privacyLink: 'Privacy policy',
  language: 'Language',
  goHome: 'Go to the signup page',
  signUpAgain: 'Sign up again',
  // The signup form (the page, and the server's form without JavaScript)
  formHeading: 'Join the list',
  formLede: 'Leave your address and we will write now and then.',
  emailLabel: 'Email',
  emailPlaceholder: 'you@example.com',
  submit: 'Sign up',
  submitting: 'Signing up…',
  honeypotLabel: 'Website (leave this empty)',
  challengeNeedsScript:
    'Signing up here needs JavaScript: the form asks your browser to solve a small puzzle that keeps bots out. Please turn JavaScript on and reload this page.',
  rateLimited: 'Too many sign-ups from your network. Please try again in {wait}.',
  challengeRefused: 'The anti-spam check did not go through. Please try again.',
  waitSecondOne: '{n} second',
  waitSecondOther: '{n} seconds',
  waitMinuteOne: '{n} minute',
  waitMinuteOther: '{n} minutes',
  waitHourOne: '{n} hour',
  waitHourOther: '{n} hours',
  // After signing up
  thanksTitle: 'Thanks for signing up',
  thanksHeading: 'Thanks for signing up, {email}!',
  thanksText:
    'We will keep you posted. Changed your mind? You can take your address off the list at any time.',
  thanksTextForm:
    'We will keep you posted. Changed your mind? You can take your address off the list at any time on our signup page.',
  pendingHeading: 'Check your inbox',
  pendingText: 'We have sent a link to {email}: your address joins the list once you open it.',
  unregister: 'Unregister',
  cancelSignup: 'Cancel my signup',
  unregistering: 'Unregistering…',
  removedPending: 'We won’t add {email} to the list: the link in the mail we sent no longer works.',
  removed: 'We have removed {email} from the list!',
  countZero: 'Nobody has signed up yet. Be the first!',
  countOne: '{count} person has signed up.',
  countOther: '{count} people have signed up.',
  // Not found, a page that failed to load
  notFoundTitle: 'Page not found',
  notFoundText: 'There is no page at {path}.',
  reloadTitle: 'This page could not be loaded',
  reloadText: 'Check your connection, then reload the page.',
  reload: 'Reload',
  // The pages behind links in mails
  confirmWorking: 'Confirming your subscription…',
  confirmDone: 'You are on the list!',
  confirmDoneText: '{email} is on the list now. Every mail we send has a link to leave it.',
  badLink: 'This link does not work',
  confirmBadLinkText:
    'It has expired (links work for 48 hours) or was not copied completely. Sign up again for a fresh one.',
  confirmFailed: 'We could not confirm your subscription',
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeAsk: 'Leave the list?',
  unsubscribeAskText: 'Take {email} off the list? You will get no more mail from us.',
  unsubscribe: 'Unsubscribe',
  unsubscribing: 'Unsubscribing…',
  unsubscribeDone: 'You are unsubscribed',
  unsubscribeDoneText:
    '{email} is off the list. Changed your mind? You can sign up again at any time.',
  unsubscribeBadLinkText: 'It may not have been copied completely: open it again from the mail.',
  // The server's pages for the form without JavaScript (POST /subscribe)
  description: '{name}: leave your email address.',
  backTo: 'Back to {name}',
  errorTitle: 'Error: {title}',
  problemUnreadable: 'The form could not be read',
  problemOrigin: 'This form cannot be used from that site',
  problemTooLarge: 'The form is too large',
  problemWait: 'Please wait a moment',
  redirectRefusedTitle: 'This form may not send you there',
  redirectRefusedText:
    'The page that held this form asked to send you on to an address this site does not allow. Nothing was signed up.',
  originRefused:
    'The page that held this form is on a site that may not send signups here. Nothing was signed up.',
  // What the web app says when no API answer could be read
  networkError: "We couldn't reach the server. Check your connection and try again.",
  apiUnreachable: 'The API is not reachable right now. Please try again in a moment.',
  invalidResponse: 'The server sent an answer we did not understand. Please try again.',
  // The address rules (checkEmail), as the browser and the server show them
  emailEmpty: 'Please enter your email address.',
  emailInvalid: 'Please enter a valid email address.',
  emailTooLong: `That address is too long (at most ${MAX_EMAIL_LENGTH} characters).`,
  emailLocalTooLong: `The part before the @ is too long (at most ${MAX_LOCAL_PART_LENGTH} characters).`,
  // The API's error messages, by code (errors.ts); the codes never change with the language
  'error.invalid_email': 'Please enter a valid email address.',
  'error.invalid_json': 'The request body is not valid JSON.',
  'error.invalid_request': 'The request does not match what this endpoint expects.',
  'error.unsupported_media_type': 'Send the request body as application/json.',
  'error.payload_too_large': 'The request body is too large.',
  'error.not_found': 'There is nothing here.',
  'error.method_not_allowed': 'This endpoint does not accept that method.',
  'error.forbidden_origin': 'Requests from this origin are not allowed.',
  'error.no_email_in_session': "You haven't submitted an email!",
  'error.not_on_list': "That address isn't on our list",
  'error.invalid_token': 'This link is not valid, or it has expired.',
  'error.too_many_requests': 'Too many requests. Please wait a moment and try again.',
  'error.too_many_attempts': 'Too many failed attempts. Please wait and try again.',
  'error.challenge_failed': 'Please wait for the check to finish, then try again.',
  'error.invalid_csv': 'The file is not a CSV that can be read.',
  'error.suppressed': 'That address is on the suppression list.',
  'error.not_suppressed': "That address isn't suppressed.",
  'error.import_not_found': 'That import is not waiting any more. Please upload the file again.',
  'error.low_contrast':
    'That colour is too light or too dark to read on: pick one with more contrast.',
  'error.announcement_not_found': 'That announcement does not exist.',
  'error.announcement_state': 'That announcement cannot do that in its present state.',
  'error.mail_disabled': 'Sending mail is off on this server (MAIL_URL is not set).',
  'error.unsupported_image': 'A logo must be a PNG, JPEG or WebP image.',
  'error.svg_image':
    'SVG is not taken for a logo: an SVG file can carry scripts. Save it as PNG or WebP instead.',
  'error.admin_disabled': 'The admin area is disabled on this server.',
  'error.invalid_password': 'That password is not right.',
  'error.unauthorized': 'Please log in as admin.',
  'error.service_unavailable': 'The service is temporarily unavailable. Please try again shortly.',
  'error.internal_error': 'Something went wrong on our side. Please try again.',
} as const;

/** The Cats Everywhere demo's wording, where it differs. */
export const demo = {
  formLede: 'Leave your address and we will write now and then, with cats.',
  notFoundText: 'There is no page at {path}. Maybe a cat walked over the keyboard.',
};

/** English as a language file, registered like the others (texts/index.ts). */
export const en: LanguageFile = { texts, demo };
