import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api-client';
import { describeLoginError, isUnauthorized } from './describe-admin-error';

describe('describeLoginError', () => {
  it('names the wait from Retry-After in words', () => {
    const error = new ApiError(429, 'too_many_attempts', 'Please try again in 15 min.', 900);
    expect(describeLoginError(error)).toBe('Too many failed attempts. Try again in 15 minutes.');
  });

  it('still says what happened without Retry-After', () => {
    const error = new ApiError(429, 'too_many_attempts', 'x');
    expect(describeLoginError(error)).toBe('Too many failed attempts. Please wait and try again.');
  });

  it('explains a wrong password, a disabled admin and a network failure', () => {
    expect(describeLoginError(new ApiError(401, 'invalid_password', 'x'))).toBe(
      'That password is not right.',
    );
    expect(describeLoginError(new ApiError(503, 'admin_disabled', 'x'))).toMatch(/disabled/);
    expect(describeLoginError(ApiError.client('network_error'))).toMatch(/couldn't reach/);
    expect(describeLoginError(new TypeError('boom'))).toBe(
      'Something went wrong. Please try again.',
    );
  });
});

describe('isUnauthorized', () => {
  it('is true only for a 401', () => {
    expect(isUnauthorized(new ApiError(401, 'unauthorized', 'x'))).toBe(true);
    expect(isUnauthorized(new ApiError(404, 'not_on_list', 'x'))).toBe(false);
    expect(isUnauthorized(new Error('401'))).toBe(false);
  });
});
