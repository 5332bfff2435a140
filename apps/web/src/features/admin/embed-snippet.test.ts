import { describe, expect, it } from 'vitest';
import { formSnippet, iframeSnippet } from './embed-snippet';

const OPTIONS = {
  publicUrl: 'https://signup.example.com',
  siteName: 'Cats Everywhere',
  challenge: false,
};

/** The snippet as a browser reads it. */
function parsed(html: string): Document {
  return new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, 'text/html');
}

describe('formSnippet', () => {
  it('is a form that posts to PUBLIC_URL/subscribe with a labelled, required email field', () => {
    const page = parsed(formSnippet(OPTIONS));
    const forms = page.querySelectorAll('form');
    expect(forms).toHaveLength(1);
    const form = forms[0] as HTMLFormElement;
    expect(form.getAttribute('method')).toBe('post');
    expect(form.getAttribute('action')).toBe('https://signup.example.com/subscribe');

    const email = form.querySelector<HTMLInputElement>('input[name="email"]');
    expect(email).toMatchObject({ type: 'email', required: true, autocomplete: 'email' });
    expect(email?.labels?.[0]?.textContent).toBe('Email address');
    const button = form.querySelector('button');
    expect(button?.getAttribute('type')).toBe('submit');
    expect(button?.textContent).toBe('Sign up for Cats Everywhere');
    // Nothing outside the form but comments: the whole snippet is the form.
    expect(page.body.children).toHaveLength(1);
  });

  it('holds the honeypot, off-screen, out of the tab order and hidden from screen readers', () => {
    const form = parsed(formSnippet(OPTIONS)).querySelector('form') as HTMLFormElement;
    const website = form.querySelector<HTMLInputElement>('input[name="website"]');
    expect(website).toMatchObject({ type: 'text', tabIndex: -1, autocomplete: 'off', value: '' });
    expect(website?.labels?.[0]?.textContent).toBe('Website (leave this empty)');
    const wrapper = website?.parentElement as HTMLElement;
    expect(wrapper.getAttribute('aria-hidden')).toBe('true');
    expect(wrapper.style.position).toBe('absolute');
    expect(wrapper.style.left).toBe('-10000px');
    // Off-screen, not display:none, which some bots take as a sign to skip the field.
    expect(wrapper.style.display).toBe('');
  });

  it('carries the page to return to in a hidden field, empty unless given', () => {
    const empty = parsed(formSnippet(OPTIONS)).querySelector<HTMLInputElement>(
      'input[name="redirect"]',
    );
    expect(empty).toMatchObject({ type: 'hidden', value: '' });
    const given = parsed(
      formSnippet({ ...OPTIONS, redirect: 'https://www.example.com/thanks?a=1&b="2"' }),
    ).querySelector<HTMLInputElement>('input[name="redirect"]');
    expect(given?.value).toBe('https://www.example.com/thanks?a=1&b="2"');
    expect(formSnippet(OPTIONS)).toContain('EMBED_ORIGINS');
  });

  it('escapes the site name and the URL, so neither can break out of the markup', () => {
    const siteName = 'Cats & Dogs <script>alert(1)</script> "quoted" \'single\' -->';
    const html = formSnippet({ ...OPTIONS, siteName, publicUrl: 'https://x.example/"><b>' });
    const page = parsed(html);
    expect(page.querySelector('script')).toBeNull();
    expect(page.querySelector('b')).toBeNull();
    expect(page.querySelector('button')?.textContent).toBe(`Sign up for ${siteName}`);
    expect(page.querySelector('form')?.getAttribute('action')).toBe(
      'https://x.example/"><b>/subscribe',
    );
    // The name never lands in a comment, where --> would end it early.
    expect(page.querySelectorAll('form')).toHaveLength(1);
  });

  it('carries the widget that solves the challenge when signups must solve one', () => {
    expect(formSnippet(OPTIONS)).not.toMatch(/challenge|altcha|script/i);
    const html = formSnippet({ ...OPTIONS, challenge: true, publicUrl: 'https://s.example/' });
    const page = parsed(html);
    const script = page.querySelector('script');
    expect(script?.getAttribute('type')).toBe('module');
    expect(script?.getAttribute('src')).toBe('https://s.example/widget/altcha.js');
    const widget = page.querySelector('form altcha-widget');
    expect(widget?.getAttribute('challenge')).toBe('https://s.example/api/challenge');
    expect(widget?.getAttribute('name')).toBe('altcha');
    expect(widget?.getAttribute('auto')).toBe('onsubmit');
    // Before the button, so that it shows where people look while it works.
    expect(widget?.nextElementSibling?.tagName).toBe('BUTTON');
  });

  it('takes PUBLIC_URL with or without a trailing slash', () => {
    const html = formSnippet({ ...OPTIONS, publicUrl: 'https://signup.example.com/' });
    expect(parsed(html).querySelector('form')?.getAttribute('action')).toBe(
      'https://signup.example.com/subscribe',
    );
  });
});

describe('iframeSnippet', () => {
  it('frames the signup page with a title naming the site, escaped', () => {
    const html = iframeSnippet({
      publicUrl: 'https://signup.example.com',
      siteName: 'Tom & "Jerry"',
    });
    const frames = parsed(html).querySelectorAll('iframe');
    expect(frames).toHaveLength(1);
    expect(frames[0]?.getAttribute('src')).toBe('https://signup.example.com/');
    expect(frames[0]?.getAttribute('title')).toBe('Sign up for Tom & "Jerry"');
  });
});
