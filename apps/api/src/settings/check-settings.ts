import type { SiteSettings, SiteTexts, ValidationIssue } from '@catlist/contracts';
import { ApiError } from '../http/api-error.js';
import { accentProblems } from './contrast.js';

/** An http(s) address with a host: the privacy link may lead nowhere else (no `javascript:`). */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * `input` (which passed the contract's SiteSettings) tidied for storing, or the reasons it cannot
 * be stored: `400 invalid_request` with one issue per field (a blank name, a privacy link that is
 * not http(s), texts for a language the site does not enable), else `400 low_contrast` naming each
 * use the accent fails. Text is trimmed; an empty privacy link is none (null). An empty text
 * keeps the shipped one, so it is not stored; nor is a language without texts.
 */
export function checkSettings(input: SiteSettings, languages: readonly string[]): SiteSettings {
  const issues: ValidationIssue[] = [];
  const name = input.name?.trim() ?? null;
  if (name === '') issues.push({ path: ['name'], message: 'name must not be blank' });
  const privacyUrl = input.privacyUrl?.trim() || null;
  if (privacyUrl !== null && !isWebUrl(privacyUrl)) {
    issues.push({
      path: ['privacyUrl'],
      message: 'privacyUrl must be an http(s) address such as https://example.com/privacy',
    });
  }
  const texts: Record<string, SiteTexts> = {};
  for (const [lang, given] of Object.entries(input.texts)) {
    if (!languages.includes(lang)) {
      issues.push({
        path: ['texts', lang],
        message: `texts: the site does not enable the language "${lang}" (it enables ${languages.join(', ')})`,
      });
      continue;
    }
    const kept = Object.entries(given)
      .map(([key, text]) => [key, text?.trim() ?? ''] as const)
      .filter(([, text]) => text !== '');
    if (kept.length > 0) texts[lang] = Object.fromEntries(kept) as SiteTexts;
  }
  if (issues.length > 0) throw new ApiError(400, 'invalid_request', { issues });

  const accentColor = input.accentColor?.toLowerCase() ?? null;
  const problems = accentColor === null ? [] : accentProblems(accentColor);
  if (problems.length > 0) {
    throw new ApiError(400, 'low_contrast', {
      message: `accentColor: ${problems.join('; ')}.`,
      issues: problems.map((message) => ({ path: ['accentColor'], message })),
    });
  }
  return {
    name,
    tagline: input.tagline?.trim() ?? null,
    privacyUrl,
    accentColor,
    showCount: input.showCount,
    texts,
  };
}
