import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contract } from './endpoints.js';
import { errorCodes } from './errors.js';

// docs/http-api.md is the contract in words; these keep its tables in step with the code.
const doc = readFileSync(new URL('../../../docs/http-api.md', import.meta.url), 'utf8');
const rows = doc.split('\n').filter((line) => line.startsWith('| `'));

describe('docs/http-api.md', () => {
  it('lists every route with the statuses the contract gives it, and no other route', () => {
    const listed = rows
      .map((row) => /^\| `(GET|POST|DELETE|PUT|PATCH) (\/[^`]*)` \|.*\| ([\d, ]+) \|$/.exec(row))
      .filter((match) => match !== null)
      .map((match) => `${match[1]} ${match[2]}: ${match[3]}`);
    const expected = Object.values(contract).map(
      (endpoint) =>
        `${endpoint.method} ${endpoint.path}: ${Object.keys(endpoint.responses).join(', ')}`,
    );
    expect(listed.sort()).toEqual(expected.sort());
  });

  it('explains every error code', () => {
    const explained = rows.map((row) => /^\| `([a-z_]+)` \| \d{3} \|/.exec(row)?.[1]);
    expect(errorCodes.filter((code) => !explained.includes(code))).toEqual([]);
  });
});
