import { contract, escapeHtml, type SiteResponse, type SubscribeOutcome } from '@catlist/contracts';
import type Koa from 'koa';
import { ApiError } from '../http/api-error.js';
import { fromHttpError, localMessage } from '../http/error-handler.js';
import { requestLanguage } from '../http/language.js';
import { ownOrigin } from '../http/origin-check.js';
import type { BindRoute } from '../routes/bind-route.js';
import type { SiteSnapshot, SiteSource } from '../settings/live-site.js';
import { type PageTexts, pageTexts } from './page-texts.js';
import type { SignUp } from './sign-up.js';
import {
  FORM_REFERRER_POLICY,
  formErrorPage,
  framable,
  frameAncestors,
  problemPage,
  resultPage,
  subscribePageCsp,
} from './subscribe-pages.js';

export interface SubscribeRouteDeps {
  /** The site as its settings are now (settings/). */
  live: SiteSource;
  /** The signup POST /api/signup runs (signup/sign-up.ts). */
  signUp: SignUp;
  /** The same limit and transaction as POST /api/signup. */
  signupLimit: Koa.Middleware;
  oneTransaction: Koa.Middleware;
  /** EMBED_ORIGINS: may frame the pages and receive redirects (and post, by the origin check). */
  embedOrigins: readonly string[];
  /** PUBLIC_URL, when set: its origin is this site's too, wherever the request came in. */
  publicUrl?: string | undefined;
}

/**
 * `redirect` as a URL to send the browser to, or null when it may not go there: only http(s) on
 * this site's origin (the request's own, or PUBLIC_URL's) or on one listed in EMBED_ORIGINS,
 * never anywhere else (no open redirect). A relative URL is taken on this site.
 */
export function redirectTarget(
  redirect: string,
  ownOrigin: string,
  allowed: ReadonlySet<string>,
): URL | null {
  let url: URL;
  try {
    url = new URL(redirect, ownOrigin);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin === ownOrigin || allowed.has(url.origin) ? url : null;
}

/**
 * `url` with `catlist=<outcome>` in its query: the other parameters stay as they were written
 * (no re-encoding), a `catlist` already there is replaced, and the fragment stays.
 */
export function withOutcome(url: URL, outcome: SubscribeOutcome): URL {
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && pair.split('=')[0] !== 'catlist');
  const next = new URL(url);
  next.search = [...kept, `catlist=${outcome}`].join('&');
  return next;
}

/** A 400 from the signup itself that the visitor can fix in the form (not an unreadable form). */
const fixable = (error: unknown): boolean =>
  error instanceof ApiError && error.status === 400 && error.code !== 'invalid_request';

/**
 * Adds `POST /subscribe`, the signup for a plain HTML form (docs/http-api.md): the same signup,
 * limit and transaction as POST /api/signup, answered with a page, or with `303` to `redirect`.
 */
export function subscribeRoute(
  bind: BindRoute,
  { live, signUp, signupLimit, oneTransaction, embedOrigins, publicUrl }: SubscribeRouteDeps,
): void {
  /** The site as this request found it (answerAsPage reads it once, for headers and page alike). */
  const snapshotOf = (ctx: Koa.Context): SiteSnapshot =>
    (ctx.state.site as SiteSnapshot | undefined) ?? live.current();
  /** The pages' texts in the language this request negotiates. */
  const textsOf = (ctx: Koa.Context): PageTexts => {
    const snapshot = snapshotOf(ctx);
    return pageTexts(snapshot.texts(requestLanguage(ctx, snapshot.site)));
  };
  const ancestors = frameAncestors(embedOrigins);
  const allowed = new Set(embedOrigins);
  if (publicUrl !== undefined) allowed.add(new URL(publicUrl).origin);

  /** Sets the pages' own headers: their CSP (framed only by EMBED_ORIGINS), no caching. */
  function pageHeaders(ctx: Koa.Context, { site }: SiteSnapshot): void {
    ctx.set(
      'Content-Security-Policy',
      subscribePageCsp(ancestors, site.challenge, site.accentColor),
    );
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', FORM_REFERRER_POLICY);
    ctx.vary('Accept-Language');
    // frame-ancestors decides who may frame the page; an X-Frame-Options would contradict it.
    if (framable(ancestors)) ctx.remove('X-Frame-Options');
    else ctx.set('X-Frame-Options', 'DENY');
  }

  /** The form's answer to every refusal on the way (origin, body, limit, address) is a page. */
  async function answerAsPage(ctx: Koa.Context, next: Koa.Next): Promise<void> {
    const snapshot = await live.fresh();
    ctx.state.site = snapshot;
    pageHeaders(ctx, snapshot);
    try {
      await next();
    } catch (error) {
      const known = error instanceof ApiError ? error : fromHttpError(error);
      if (!known) throw error;
      ctx.status = known.status;
      ctx.set(known.headers);
      ctx.type = 'html';
      const { site } = snapshot;
      const message = localMessage(ctx, known, site);
      ctx.body = pageFor(site, known, typedAddress(ctx), message, textsOf(ctx));
    }
  }

  function pageFor(
    site: SiteResponse,
    error: ApiError,
    email: string,
    message: string,
    texts: PageTexts,
  ): string {
    if (fixable(error)) return formErrorPage(site, { email, error: message }, texts);
    if (error.code === 'forbidden_origin') {
      return problemPage(site, texts.problems[403], texts.originRefused, texts);
    }
    const heading =
      texts.problems[error.status as keyof typeof texts.problems] ?? texts.problems[400];
    return problemPage(site, heading, message, texts);
  }

  bind(contract.subscribe, {
    session: true,
    around: answerAsPage,
    use: [signupLimit, oneTransaction],
    async handler(ctx, { body }) {
      const { site } = snapshotOf(ctx);
      const texts = textsOf(ctx);
      const target =
        body.redirect === undefined || body.redirect === ''
          ? undefined
          : redirectTarget(body.redirect, ownOrigin(ctx), allowed);
      // Refused before the signup: nothing is written for a form that would send people elsewhere.
      if (target === null) {
        const { title, text } = texts.redirectRefused;
        return { status: 400, body: problemPage(site, title, text, texts) };
      }
      let outcome: SubscribeOutcome;
      try {
        const { email, pending } = await signUp(ctx, body);
        if (target === undefined) {
          return { status: 200, body: resultPage(site, email, pending, texts) };
        }
        outcome = pending ? 'pending' : 'subscribed';
      } catch (error) {
        // An address the form could fix goes back to the page that held the form, to say so.
        if (target === undefined || !fixable(error)) throw error;
        outcome = 'invalid';
      }
      const location = withOutcome(target, outcome).href;
      ctx.set('Location', location);
      return { status: 303, body: `<a href="${escapeHtml(location)}">${escapeHtml(location)}</a>` };
    },
  });
}

/** The address as the visitor typed it, to fill the form in again. */
function typedAddress(ctx: Koa.Context): string {
  const fields = ctx.request.body as Record<string, unknown> | undefined;
  const email = fields?.email;
  return typeof email === 'string' ? email : '';
}
