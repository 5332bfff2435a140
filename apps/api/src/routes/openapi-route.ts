import { contract } from '@catlist/contracts';
import { openApiDocument } from '@catlist/contracts/openapi';
import * as z from 'zod/mini';
import type { BindRoute } from './bind-route.js';

/**
 * Adds `GET /api/openapi.json`: the contract as an OpenAPI 3.1 document, generated from its zod
 * schemas once, when the app is built, and sent as is to every caller.
 */
export function openApiRoute(bind: BindRoute): void {
  // Read through the entry's own answer schema (once), which also gives it the contract's type.
  const document = z.parse(contract.getOpenApi.responses[200], openApiDocument());
  bind(contract.getOpenApi, { handler: () => ({ status: 200, body: document }) });
}
