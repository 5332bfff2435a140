import {
  type Catalog,
  isDemoSite,
  LANGUAGE_COOKIE,
  negotiateLanguage,
  type SiteResponse,
  type SiteTextKey,
  type TextKey,
  translator,
} from '@catlist/contracts';
import { catalogFor } from '@catlist/contracts/texts';
import type Koa from 'koa';

/**
 * The language a request is answered in, among the site's enabled ones: an explicit `lang`
 * (the chooser's query), then the chooser's cookie, then Accept-Language, then the site's default.
 */
export function requestLanguage(
  ctx: Koa.Context,
  site: Pick<SiteResponse, 'languages' | 'defaultLanguage'>,
  chosen?: string | undefined,
): string {
  const choice = chosen ?? ctx.cookies.get(LANGUAGE_COOKIE, { signed: false }) ?? undefined;
  return negotiateLanguage(
    ctx.get('Accept-Language'),
    site.languages,
    site.defaultLanguage,
    choice,
  );
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
