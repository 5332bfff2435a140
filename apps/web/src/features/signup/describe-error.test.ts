import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api-client';
import { describeError } from './describe-error';

describe('describeError', () => {
  it('tells how long to wait when rate limited', () => {
    const error = new ApiError(429, 'too_many_requests', 'Too many requests.', 30);
    expect(describeError(error)).toBe(
      'Too many sign-ups from your network. Please try again in 30 seconds.',
    );
  });

  it("uses the API's message otherwise", () => {
    expect(describeError(new ApiError(429, 'too_many_requests', 'Slow down.'))).toBe('Slow down.');
    expect(describeError(new ApiError(404, 'not_on_list', "That address isn't on our list"))).toBe(
      "That address isn't on our list",
    );
    expect(describeError(ApiError.client('network_error'))).toMatch(/couldn't reach the server/);
  });

  it('asks to try again when the signup challenge was refused (the form solves a new one)', () => {
    const error = new ApiError(400, 'challenge_failed', 'Please wait for the check to finish.');
    expect(describeError(error)).toBe('The anti-spam check did not go through. Please try again.');
  });

  it('has a sentence for errors that are not API errors', () => {
    expect(describeError(new TypeError('boom'))).toBe('Something went wrong. Please try again.');
  });
});
