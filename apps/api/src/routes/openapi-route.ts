import { contract } from '@catlist/contracts';
import { openApiDocument } from '@catlist/contracts/openapi';
import type Router from '@koa/router';

/**
 * Adds `GET /api/openapi.json`: the contract as an OpenAPI 3.1 document, generated from its zod
 * schemas once, when the app is built, and sent as is to every caller.
 */
export function openApiRoute(router: Router): void {
  const document = openApiDocument();
  router.get(contract.getOpenApi.path, (ctx) => {
    ctx.body = document;
  });
}
