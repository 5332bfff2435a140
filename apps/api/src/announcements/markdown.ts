import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { LIGHT } from '../confirmation/mail-layout.js';

// An announcement's Markdown as mail HTML. markdown-it with `html: false`: raw HTML in the body
// comes out as text, never as markup; links and images only to http(s) (and links to mailto).
// Mail clients drop <style> and classes, so every element gets its look inline here, in the
// colours of the layout (confirmation/mail-layout.ts); the `mail-text` / `mail-muted` classes
// let dark mode recolour them where the client honours it.

const TEXT = `color:${LIGHT.text}`;
const MUTED = `color:${LIGHT.muted}`;
const CODE_FONT = `ui-monospace, SFMono-Regular, Menlo, Consolas, monospace`;

/** Inline style and class for each tag markdown-it opens. */
const LOOK: Record<string, { style: string; className?: string }> = {
  p: { style: `margin:0 0 16px;${TEXT}`, className: 'mail-text' },
  h1: {
    style: `margin:24px 0 12px;font-size:22px;line-height:1.3;${TEXT}`,
    className: 'mail-text',
  },
  h2: {
    style: `margin:24px 0 12px;font-size:20px;line-height:1.3;${TEXT}`,
    className: 'mail-text',
  },
  h3: { style: `margin:20px 0 8px;font-size:18px;line-height:1.3;${TEXT}`, className: 'mail-text' },
  h4: { style: `margin:16px 0 8px;font-size:16px;${TEXT}`, className: 'mail-text' },
  h5: { style: `margin:16px 0 8px;font-size:16px;${TEXT}`, className: 'mail-text' },
  h6: { style: `margin:16px 0 8px;font-size:16px;${TEXT}`, className: 'mail-text' },
  ul: { style: `margin:0 0 16px;padding-left:24px;${TEXT}`, className: 'mail-text' },
  ol: { style: `margin:0 0 16px;padding-left:24px;${TEXT}`, className: 'mail-text' },
  li: { style: 'margin:0 0 4px' },
  blockquote: {
    style: `margin:0 0 16px;padding:0 0 0 12px;border-left:4px solid ${LIGHT.border};${MUTED}`,
    className: 'mail-muted',
  },
  pre: {
    style: `margin:0 0 16px;padding:12px;border:1px solid ${LIGHT.border};border-radius:8px;white-space:pre-wrap;overflow-wrap:anywhere;font-family:${CODE_FONT};font-size:14px`,
  },
  code: { style: `font-family:${CODE_FONT};font-size:14px` },
  a: { style: `${TEXT};text-decoration:underline;overflow-wrap:anywhere`, className: 'mail-text' },
  // At 360 px an image never overflows the card.
  img: { style: 'max-width:100%;height:auto;border:0' },
  hr: { style: `border:0;border-top:1px solid ${LIGHT.border};margin:24px 0` },
  table: { style: 'border-collapse:collapse;margin:0 0 16px;display:block;overflow-x:auto' },
  th: { style: `border:1px solid ${LIGHT.border};padding:4px 8px;text-align:left` },
  td: { style: `border:1px solid ${LIGHT.border};padding:4px 8px` },
};

const ALLOWED_LINK = /^(?:https?:\/\/|mailto:)/i;
const ALLOWED_IMAGE = /^https?:\/\//i;

function styled(tokens: Token[]): void {
  for (const token of tokens) {
    if (token.children) styled(token.children);
    if (token.nesting === -1) continue;
    const look = LOOK[token.tag];
    if (!look) continue;
    // markdown-it sets `style` itself only for table cell alignment: keep it after ours.
    const own = token.attrGet('style');
    token.attrSet('style', own ? `${look.style};${own}` : look.style);
    if (look.className) token.attrSet('class', look.className);
  }
}

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
// markdown-it refuses javascript:, vbscript:, file: and most data: URLs itself; mail needs fewer
// still: a link leaves the mail for the web or a mail program, an image comes from the web.
markdown.validateLink = (url: string) => ALLOWED_LINK.test(url.trim());
markdown.core.ruler.push('mail_styles', (state) => {
  styled(state.tokens);
  // An image's source must be http(s) even where a link could be mailto:.
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type === 'image' && !ALLOWED_IMAGE.test(token.attrGet('src') ?? '')) {
        token.attrSet('src', '');
      }
    }
  }
  return true;
});
// Links open outside the mail client's preview pane where that applies.
const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** The Markdown `source` as mail HTML (escaped, inline-styled). */
export function markdownToMailHtml(source: string): string {
  return markdown.render(source);
}
