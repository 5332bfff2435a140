import { openApiDocument } from '@catlist/contracts/openapi';
import type Router from '@koa/router';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type supertest from 'supertest';

/** The parts of an OpenAPI 3.1 document these checks read. */
export interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}

// Where ajv finds the document; schemas point into it with `$ref`s from here.
const DOCUMENT_ID = 'https://catlist.invalid/openapi.json';
// The document's own top-level fields, which are not JSON Schema keywords.
const DOCUMENT_FIELDS = ['openapi', 'info', 'tags', 'paths', 'components', 'jsonSchemaDialect'];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const pointer = (...parts: string[]) =>
  parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** `/api/admin/subscribers/:email` → `/api/admin/subscribers/{email}`, as OpenAPI writes paths. */
const templated = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/**
 * What the router serves and the document does not describe, and the reverse: one line each, so
 * a route added without a contract entry (or an entry nobody serves) shows by name.
 */
export function routeCoverage(router: Router, document: OpenApi): string[] {
  const served = new Map<string, Set<string>>();
  for (const layer of router.stack) {
    const path = templated(String(layer.path));
    const methods = served.get(path) ?? new Set<string>();
    // @koa/router answers HEAD wherever it answers GET; OpenAPI leaves HEAD implied.
    for (const method of layer.methods) if (method !== 'HEAD') methods.add(method.toLowerCase());
    served.set(path, methods);
  }
  const problems: string[] = [];
  for (const [path, methods] of served) {
    for (const method of methods) {
      if (!document.paths[path]?.[method]) {
        problems.push(`${method.toUpperCase()} ${path} is served but not in the document`);
      }
    }
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of Object.keys(item).filter((key) => METHODS.includes(key))) {
      if (!served.get(path)?.has(method)) {
        problems.push(`${method.toUpperCase()} ${path} is in the document but not served`);
      }
    }
  }
  return problems.sort();
}

/** The document's operation for a concrete request path, e.g. `/api/admin/subscribers/a%40b.c`. */
function operationFor(document: OpenApi, method: string, path: string) {
  for (const [template, item] of Object.entries(document.paths)) {
    const pattern = new RegExp(
      `^${template
        .split(/\{\w+\}/)
        .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+')}$`,
    );
    const operation = item[method.toLowerCase()];
    if (operation && pattern.test(path)) return { template, operation };
  }
  return undefined;
}

/** One answer of the server, as the checks read it. */
export interface Answer {
  method: string;
  /** The request path, without the query. */
  path: string;
  status: number;
  /** The Content-Type header, if any. */
  contentType: string | undefined;
  /** The body as text ('' for none). */
  text: string;
}

/** A supertest response as an `Answer`. */
export function answerOf(response: supertest.Response): Answer {
  const request = response.request as unknown as { method: string; url: string };
  const type = response.headers['content-type'];
  return {
    method: request.method,
    path: new URL(request.url).pathname,
    status: response.status,
    contentType: typeof type === 'string' ? type : undefined,
    text: response.text ?? '',
  };
}

/**
 * Checks real answers against the document's response schemas with ajv (JSON Schema 2020-12,
 * strict; `type` lists are JSON Schema too): the status must be documented for the operation, the
 * media type must be the one documented, and the body must validate. `seen` records which
 * statuses of which operation passed.
 */
export function responseChecker(document: OpenApi) {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  for (const keyword of DOCUMENT_FIELDS) ajv.addKeyword(keyword);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (where: string) => {
    let validate = compiled.get(where);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${where}` });
      compiled.set(where, validate);
    }
    return validate;
  };
  const seen = new Map<string, Set<number>>();

  return {
    seen,
    /** Whether the document has an operation for this method and concrete path. */
    describes(method: string, path: string): boolean {
      return operationFor(document, method, path) !== undefined;
    },
    /** Every component schema compiles: the document's schemas are valid JSON Schema 2020-12. */
    compileAll(): void {
      for (const name of Object.keys(document.components.schemas)) {
        validator(`/${pointer('components', 'schemas', name)}`);
      }
    },
    /** Throws, naming the request, when the answer is not what the document says. */
    check(answer: Answer | supertest.Response): void {
      const { method, path, status, contentType, text } =
        'request' in answer ? answerOf(answer) : answer;
      const what = `${method} ${path} → ${status}`;
      const found = operationFor(document, method, path);
      if (!found) throw new Error(`${what}: no such operation in the document`);
      const { template, operation } = found;
      const documented = operation.responses[String(status)];
      if (!documented) throw new Error(`${what}: status not documented`);
      const content = documented.content ?? {};
      const mediaTypes = Object.keys(content);
      const type = (contentType ?? '').split(';')[0] ?? '';
      if (mediaTypes.length === 0) {
        if (text !== '') throw new Error(`${what}: a body where the document says there is none`);
      } else {
        if (!mediaTypes.includes(type)) {
          throw new Error(
            `${what}: ${type || 'no body'} where the document says ${mediaTypes.join(', ')}`,
          );
        }
        let body: unknown = text;
        if (type === 'application/json') {
          try {
            body = JSON.parse(text);
          } catch {
            throw new Error(`${what}: not JSON: ${text.slice(0, 200)}`);
          }
        }
        const where = `/${pointer('paths', template, method.toLowerCase(), 'responses', String(status), 'content', type, 'schema')}`;
        const validate = validator(where);
        if (!validate(body)) {
          throw new Error(`${what}: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`);
        }
      }
      const statuses = seen.get(operation.operationId) ?? new Set<number>();
      statuses.add(status);
      seen.set(operation.operationId, statuses);
    },
  };
}

let contractChecker: ReturnType<typeof responseChecker> | undefined;

/**
 * What is wrong with these answers by the contract's OpenAPI document (the one the server serves),
 * one line each; answers to requests the document has no operation for (pages, unknown paths,
 * HEAD, preflights) are not its business and pass.
 */
export function offTheDocument(answers: readonly Answer[]): string[] {
  contractChecker ??= responseChecker(openApiDocument() as unknown as OpenApi);
  const checker = contractChecker;
  return answers.flatMap((answer) => {
    if (!checker.describes(answer.method, answer.path)) return [];
    try {
      checker.check(answer);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  });
}
