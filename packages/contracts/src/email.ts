/** Longest address accepted, in characters (RFC 5321 §4.5.3.1.3 path limit minus the brackets). */
export const MAX_EMAIL_LENGTH = 254;
/** Longest local part (before the `@`) accepted, in characters (RFC 5321 §4.5.3.1.1). */
export const MAX_LOCAL_PART_LENGTH = 64;

export const EMAIL_MESSAGES = {
  empty: 'Please enter your email address.',
  invalid: 'Please enter a valid email address.',
  tooLong: `That address is too long (at most ${MAX_EMAIL_LENGTH} characters).`,
  localTooLong: `The part before the @ is too long (at most ${MAX_LOCAL_PART_LENGTH} characters).`,
} as const;

export type EmailCheck = { ok: true; email: string } | { ok: false; message: string };

// Whitespace, control and format characters (CR, LF, NUL, zero-width space, BOM, ...), every other
// default-ignorable code point (invisible when rendered, so they make look-alike addresses:
// U+034F, U+115F, U+3164, U+FFA0, variation selectors, ...), lone surrogates and U+FFFD (the marks
// of text that was not valid UTF-8 or UTF-16), plus the RFC 5322 "specials" that are only legal
// inside quoted local parts, which we do not accept.
const FORBIDDEN =
  /[\p{White_Space}\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\uFFFD,;:<>()[\]\\]/u;
const DOMAIN_LABEL = /^[^.@]+$/u;

/**
 * Normalises an address the one way the whole product does: trim, lower case, then Unicode NFC.
 * In that order: lower-casing can leave a letter and a combining mark that NFC then composes (`T`
 * + U+0308 becomes `t` + U+0308, which is `ẗ`), so every spelling of an address, whatever its case
 * and composition, ends as one NFC string, and normalising twice changes nothing.
 */
export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase().normalize('NFC');
}

function length(text: string): number {
  // Count code points, not UTF-16 units, so an emoji counts as one character.
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Normalises `input` and checks it is an address we accept; the message on failure is the one
 * shown to the visitor, by the browser and by the server alike.
 */
export function checkEmail(input: string): EmailCheck {
  const email = normalizeEmail(input);
  if (email === '') return { ok: false, message: EMAIL_MESSAGES.empty };
  if (length(email) > MAX_EMAIL_LENGTH) return { ok: false, message: EMAIL_MESSAGES.tooLong };
  if (FORBIDDEN.test(email)) return { ok: false, message: EMAIL_MESSAGES.invalid };
  const parts = email.split('@');
  if (parts.length !== 2) return { ok: false, message: EMAIL_MESSAGES.invalid };
  const [local = '', domain = ''] = parts;
  if (local === '') return { ok: false, message: EMAIL_MESSAGES.invalid };
  if (length(local) > MAX_LOCAL_PART_LENGTH) {
    return { ok: false, message: EMAIL_MESSAGES.localTooLong };
  }
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) {
    return { ok: false, message: EMAIL_MESSAGES.invalid };
  }
  return { ok: true, email };
}

/** True when `input` normalises to an acceptable address. */
export function isValidEmail(input: string): boolean {
  return checkEmail(input).ok;
}
