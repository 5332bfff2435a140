import { translator } from '@catlist/contracts';
import { catalogFor } from '@catlist/contracts/texts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api-client';
import { describeError } from './describe-error';

const t = translator(catalogFor('en', false));
const de = translator(catalogFor('de', false));

describe('describeError', () => {
  it('tells how long to wait when rate limited', () => {
    const error = new ApiError(429, 'too_many_requests', 'Too many requests.', 30);
    expect(describeError(error, t)).toBe(
      'Too many sign-ups from your network. Please try again in 30 seconds.',
    );
  });

  it("uses the API's message otherwise", () => {
    expect(describeError(new ApiError(429, 'too_many_requests', 'Slow down.'), t)).toBe(
      'Slow down.',
    );
    expect(
      describeError(new ApiError(404, 'not_on_list', "That address isn't on our list"), t),
    ).toBe("That address isn't on our list");
    expect(describeError(ApiError.client('network_error'), t)).toMatch(/couldn't reach the server/);
  });

  it('asks to try again when the signup challenge was refused (the form solves a new one)', () => {
    const error = new ApiError(400, 'challenge_failed', 'Please wait for the check to finish.');
    expect(describeError(error, t)).toBe(
      'The anti-spam check did not go through. Please try again.',
    );
  });

  it("speaks the page's language, the wait included", () => {
    const error = new ApiError(429, 'too_many_requests', 'Too many requests.', 1);
    expect(describeError(error, de)).toBe(
      'Zu viele Anmeldungen aus deinem Netzwerk. Bitte versuche es in 1 Sekunde noch einmal.',
    );
    expect(describeError(ApiError.client('network_error'), de)).toMatch(/Server nicht erreichen/);
  });

  it('has a sentence for errors that are not API errors', () => {
    expect(describeError(new TypeError('boom'), t)).toBe('Something went wrong. Please try again.');
  });
});
