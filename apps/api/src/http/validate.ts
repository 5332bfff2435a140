import type { ValidationIssue } from '@catlist/contracts';
import * as z from 'zod/mini';
import { ApiError } from './api-error.js';

/** Parses `input` with a contract schema; a mismatch is `400 invalid_request` with the issues. */
export function validate<T extends z.ZodMiniType>(schema: T, input: unknown): z.infer<T> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.filter((key): key is string | number => typeof key !== 'symbol'),
    message: issue.message,
  }));
  throw new ApiError(400, 'invalid_request', { issues });
}
