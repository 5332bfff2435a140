import { describe, expect, it } from 'vitest';
import {
  ADD_OUTCOMES,
  ANNOUNCEMENT_STATUSES,
  contract,
  SUBSCRIBER_SORTS,
  SUBSCRIBER_SOURCES,
  SUPPRESSION_REASONS,
} from './endpoints.js';
import { ERROR_MESSAGES } from './error-messages.js';
import { openApiDocument, openApiPath } from './openapi.js';

type Doc = {
  paths: Record<
    string,
    Record<string, { operationId: string; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};
const document = openApiDocument() as unknown as Doc;

describe('the OpenAPI document', () => {
  it('has one operation per contract entry, under its OpenAPI path and method', () => {
    for (const [name, endpoint] of Object.entries(contract)) {
      const operation = document.paths[openApiPath(endpoint.path)]?.[endpoint.method.toLowerCase()];
      expect(operation?.operationId).toBe(name);
      expect(Object.keys(operation?.responses ?? {})).toEqual(
        [...Object.keys(endpoint.responses), '500'].sort(),
      );
    }
  });

  it('writes path parameters the OpenAPI way', () => {
    expect(openApiPath('/api/admin/subscribers/:email')).toBe('/api/admin/subscribers/{email}');
  });

  it('names error codes only from the contract (the other enums: health, sources, admin)', () => {
    const codes = JSON.stringify(document.components.schemas).match(/"enum":\[[^\]]*\]/g) ?? [];
    const listed = codes.flatMap((list) => JSON.parse(list.slice('"enum":'.length)) as string[]);
    const known = new Set<string>([
      ...Object.keys(ERROR_MESSAGES),
      'ok',
      'unavailable',
      ...SUBSCRIBER_SOURCES,
      ...ADD_OUTCOMES,
      ...SUPPRESSION_REASONS,
      ...SUBSCRIBER_SORTS,
      ...ANNOUNCEMENT_STATUSES,
    ]);
    expect(listed.filter((code) => !known.has(code))).toEqual([]);
    expect(listed).toContain('invalid_email');
  });

  it('comes out the same every time (the API serves one, its tests check against another)', () => {
    expect(openApiDocument()).toEqual(document);
  });
});
