/** Longest address accepted, in characters (RFC 5321 §4.5.3.1.3 path limit minus the brackets). */
export const MAX_EMAIL_LENGTH = 254;
/** Longest local part (before the `@`) accepted, in characters (RFC 5321 §4.5.3.1.1). */
export const MAX_LOCAL_PART_LENGTH = 64;

/** Why an address is refused: the key of its message in EMAIL_MESSAGES (English). */
export type EmailProblem = 'empty' | 'invalid' | 'tooLong' | 'localTooLong';

/** The text key (texts/en.ts) of each problem's message, for pages in the visitor's language. */
export const EMAIL_PROBLEM_TEXTS = {
  empty: 'emailEmpty',
  invalid: 'emailInvalid',
  tooLong: 'emailTooLong',
  localTooLong: 'emailLocalTooLong',
} as const satisfies Record<EmailProblem, string>;

/**
 * An address accepted (normalised), or refused and why: the page says `problem` in the visitor's
 * language (EMAIL_PROBLEM_TEXTS), the API and the tools in English (EMAIL_MESSAGES).
 */
export type EmailCheck = { ok: true; email: string } | { ok: false; problem: EmailProblem };

const refuse = (problem: EmailProblem): EmailCheck => ({ ok: false, problem });

// Whitespace, control and format characters (CR, LF, NUL, zero-width space, BOM, ...), every other
// default-ignorable code point (invisible when rendered, so they make look-alike addresses:
// U+034F, U+115F, U+3164, U+FFA0, variation selectors, ...), lone surrogates and U+FFFD (the marks
// of text that was not valid UTF-8 or UTF-16), plus the RFC 5322 "specials" that are only legal
// inside quoted local parts, which we do not accept.
const FORBIDDEN =
  /[\p{White_Space}\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\uFFFD,;:<>()[\]\\]/u;
// RFC 5322 dot-atom with RFC 6532's UTF-8 (every non-ASCII character is atext; the invisible ones
// are refused by FORBIDDEN): no quoted local parts, no comments, single dots between atoms. A
// quote or a parenthesis is address syntax to the mail library, so accepting one would store an
// address other than the mailbox the mail goes to.
const DOT_ATOM =
  /^[a-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+(?:\.[a-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+)*$/u;

// Characters that URL parsing gives a meaning of its own (a path, a query, a port, user info, an
// IPv6 literal, percent-escapes) or refuses: a domain holding one is not handed to it at all, so
// `new URL` only ever sees a host name. (FORBIDDEN already holds whitespace, `:`, `\`, `[`, `]`,
// `<` and `>`.)
const URL_SPECIAL = /[/?#@%^|"]/u;
// A host name whose last label is a number is an IPv4 address to URL parsing (`1.2` becomes
// `1.0.0.2`, `0x1f` becomes `31`), not a domain that mail could go to by name.
const NUMERIC_LABEL = /^\d+$/u;

// The WHATWG URL class, a global in Node and in browsers alike; declared here because this package
// compiles against neither the DOM nor Node's types (it runs in both).
declare const URL: new (input: string) => { readonly hostname: string };

/**
 * The ASCII form of a domain (UTS #46 ToASCII as WHATWG URL parsing does it, in Node and in
 * browsers alike: full-width letters fold, `exämple.com` becomes `xn--exmple-cua.com`), or
 * undefined when ToASCII refuses it. nodemailer sends to that ASCII form, so it is the one spelling
 * of the domain that we store, count and compare.
 */
function asciiDomain(domain: string): string | undefined {
  // An empty domain makes `http:///`, which URL parsing refuses.
  if (URL_SPECIAL.test(domain) || FORBIDDEN.test(domain)) return undefined;
  let hostname: string;
  try {
    hostname = new URL(`http://${domain}/`).hostname;
  } catch {
    return undefined;
  }
  const last = hostname.split('.').at(-1) ?? '';
  if (NUMERIC_LABEL.test(last)) return undefined;
  return hostname;
}

/**
 * Normalises an address the one way the whole product does: trim, lower case, Unicode NFC, then
 * the domain in its ASCII form. Lower case before NFC: lower-casing can leave a letter and a
 * combining mark that NFC then composes (`T` + U+0308 becomes `t` + U+0308, which is `ẗ`), so
 * every spelling of an address, whatever its case and composition, ends as one NFC string. The
 * ASCII domain last, because that is where nodemailer delivers: `v@ｅxample.com` and
 * `v@example.com` are one mailbox, so they must be one stored address (one owner set, one mail
 * cap). A domain ToASCII refuses is left as it is (checkEmail refuses it). Normalising twice
 * changes nothing.
 */
export function normalizeEmail(input: string): string {
  const email = input.trim().toLowerCase().normalize('NFC');
  const at = email.indexOf('@');
  // Text without an `@` (an admin search for part of a domain) is not an address: left as it is.
  // With more than one, the domain holds an `@`, which asciiDomain refuses.
  if (at < 0) return email;
  const domain = asciiDomain(email.slice(at + 1));
  return domain === undefined ? email : `${email.slice(0, at + 1)}${domain}`;
}

function length(text: string): number {
  // Count code points, not UTF-16 units, so an emoji counts as one character.
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Normalises `input` and checks it is an address we accept; the problem on failure is the one
 * shown to the visitor, by the browser and by the server alike.
 */
export function checkEmail(input: string): EmailCheck {
  // ToASCII would silently drop some invisible characters (a soft hyphen), which must refuse the
  // address, not vanish from it: asciiDomain leaves a domain holding one as it is, so the check
  // below still sees it.
  const email = normalizeEmail(input);
  if (email === '') return refuse('empty');
  if (length(email) > MAX_EMAIL_LENGTH) return refuse('tooLong');
  if (FORBIDDEN.test(email)) return refuse('invalid');
  const parts = email.split('@');
  if (parts.length !== 2) return refuse('invalid');
  const [local = '', domain = ''] = parts;
  if (length(local) > MAX_LOCAL_PART_LENGTH) {
    return refuse('localTooLong');
  }
  // An empty local part is not a dot-atom either.
  if (!DOT_ATOM.test(local)) return refuse('invalid');
  const labels = domain.split('.');
  if (asciiDomain(domain) !== domain || labels.length < 2 || labels.includes('')) {
    return refuse('invalid');
  }
  return { ok: true, email };
}

/** True when `input` normalises to an acceptable address. */
export function isValidEmail(input: string): boolean {
  return checkEmail(input).ok;
}
