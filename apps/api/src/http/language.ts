import {
  type Catalog,
  isDemoSite,
  LANGUAGE_COOKIE,
  type SiteResponse,
  type SiteTextKey,
  type TextKey,
  translator,
} from '@catlist/contracts';
import { catalogFor } from '@catlist/contracts/texts';
import type Koa from 'koa';
import Negotiator from 'negotiator';

/** The language of a tag: its primary subtag, lower case (`fr-CA` is `fr`, `DE-at` is `de`). */
const primary = (tag: string): string => tag.toLowerCase().split('-')[0] ?? '';

/**
 * The language a request is answered in, among the site's enabled ones: an explicit `lang`
 * (the chooser's query), then the chooser's cookie, then Accept-Language, then the site's default.
 *
 * negotiator reads Accept-Language: its ranges by weight, equal weights in the header's order,
 * weight 0 and unreadable weights left out, and no header as `*`. (Not `ctx.acceptsLanguages`:
 * Koa's negotiator 0.6 takes `de ; q=0.5` for weight 1.) We ask for that ranked list rather than
 * for the best of the enabled codes, because given codes to choose from, negotiator ranks an exact
 * match above a regional one of the same weight: `en-US, de` would answer German to someone who
 * put English first. So the first range whose language is enabled wins (a regional tag takes its
 * language); `*`, nothing enabled and an empty header leave the site's default.
 */
export function requestLanguage(
  ctx: Koa.Context,
  site: Pick<SiteResponse, 'languages' | 'defaultLanguage'>,
  chosen?: string | undefined,
): string {
  const enabled = (tag: string): string | undefined => {
    const language = primary(tag);
    return site.languages.includes(language) ? language : undefined;
  };
  const choice = chosen ?? ctx.cookies.get(LANGUAGE_COOKIE, { signed: false });
  const chosenLanguage = choice === undefined ? undefined : enabled(choice);
  if (chosenLanguage !== undefined) return chosenLanguage;
  for (const range of new Negotiator(ctx.req).languages()) {
    if (range === '*') break;
    const language = enabled(range);
    if (language !== undefined) return language;
  }
  return site.defaultLanguage;
}

/** One request's texts: its language, the catalog for this site, and `t` to read it. */
export interface RequestTexts {
  lang: string;
  catalog: Catalog;
  t: (key: TextKey, params?: Readonly<Record<string, string | number>>) => string;
}

/**
 * The texts of `lang` as this site shows them: the owner's own (site settings, `custom`) where
 * set, else the shipped ones (the cats' own wording only on the demo). The owner's thanks text
 * serves the form's thanks page too; the mail's texts are not the pages' (confirmation/).
 */
export function textsFor(
  lang: string,
  site: Pick<SiteResponse, 'name'>,
  custom: Readonly<Partial<Record<SiteTextKey, string>>> = {},
): RequestTexts {
  const { mailConfirmSubject: _subject, mailConfirmIntro: _intro, ...pageTexts } = custom;
  const catalog: Catalog = {
    ...catalogFor(lang, isDemoSite(site)),
    ...(pageTexts.thanksText === undefined ? {} : { thanksTextForm: pageTexts.thanksText }),
    ...pageTexts,
  };
  return { lang, catalog, t: translator(catalog) };
}
