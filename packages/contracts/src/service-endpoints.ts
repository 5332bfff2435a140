import * as z from 'zod/mini';
import type { Endpoint } from './endpoint.js';

// The endpoints for operators and tools, not the web app: health checks, the OpenAPI document.

export const HealthResponse = z.object({ status: z.enum(['ok', 'unavailable']) });

/** The OpenAPI 3.1 document of this contract (`openApiDocument` in `@catlist/contracts/openapi`). */
export const OpenApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.looseObject({}),
});

/** Health and the OpenAPI document (`contract` holds them all). */
export const serviceEndpoints = {
  getHealth: {
    method: 'GET',
    path: '/api/health',
    responses: { 200: HealthResponse, 503: HealthResponse },
  },
  getOpenApi: {
    method: 'GET',
    path: '/api/openapi.json',
    responses: { 200: OpenApiDocument },
  },
} as const satisfies Record<string, Endpoint>;

export type HealthResponse = z.infer<typeof HealthResponse>;
