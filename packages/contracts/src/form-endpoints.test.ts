import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { FORM_MEDIA_TYPES } from './endpoint.js';
import { contract } from './endpoints.js';
import { SUBSCRIBE_OUTCOMES, SubscribeForm } from './form-endpoints.js';
import { openApiDocument } from './openapi.js';

describe('POST /subscribe (the HTML form)', () => {
  it('reads a missing address as an empty one, and keeps the honeypot and the redirect', () => {
    expect(z.parse(SubscribeForm, {})).toEqual({ email: '' });
    expect(
      z.parse(SubscribeForm, {
        email: 'cat@example.com',
        website: '',
        redirect: 'https://www.example.com/thanks',
        other: 'dropped',
      }),
    ).toEqual({
      email: 'cat@example.com',
      website: '',
      redirect: 'https://www.example.com/thanks',
    });
    // A field sent twice (an array) or as a file (null) is not a form this route takes.
    expect(z.safeParse(SubscribeForm, { email: ['a@example.com', 'b@example.com'] }).success).toBe(
      false,
    );
    expect(z.safeParse(SubscribeForm, { email: null }).success).toBe(false);
  });

  it('names the outcomes a redirect receives', () => {
    expect(SUBSCRIBE_OUTCOMES).toEqual(['subscribed', 'pending', 'invalid']);
  });

  it('is a form entry answering pages, at /subscribe', () => {
    const { subscribe } = contract;
    expect(subscribe).toMatchObject({ method: 'POST', path: '/subscribe', produces: 'text/html' });
    expect(subscribe.form).toBe(SubscribeForm);
    expect(Object.values(subscribe.responses).every((schema) => schema === null)).toBe(true);
  });

  it('is in the OpenAPI document with both form media types and a page for every status', () => {
    type Operation = {
      requestBody: { content: Record<string, { schema: { $ref: string } }> };
      responses: Record<string, { content?: Record<string, unknown>; headers?: object }>;
    };
    const document = openApiDocument() as { paths: Record<string, { post: Operation }> };
    const operation = document.paths['/subscribe']?.post as Operation;
    expect(FORM_MEDIA_TYPES).toEqual(['application/x-www-form-urlencoded', 'multipart/form-data']);
    expect(Object.keys(operation.requestBody.content)).toEqual([...FORM_MEDIA_TYPES]);
    expect(operation.requestBody.content[FORM_MEDIA_TYPES[0]]?.schema.$ref).toBe(
      '#/components/schemas/SubscribeForm',
    );
    for (const status of Object.keys(contract.subscribe.responses)) {
      expect(Object.keys(operation.responses[status]?.content ?? {}), status).toEqual([
        'text/html',
      ]);
    }
    expect(operation.responses['303']?.headers).toEqual({
      Location: { schema: { type: 'string' } },
    });
    expect(operation.responses['200']?.headers).toBeUndefined();
  });
});
