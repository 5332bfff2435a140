import * as z from 'zod/mini';
import { FORM_MEDIA_TYPES } from './endpoint.js';
import * as endpoints from './endpoints.js';
import { contract, type Endpoint, type EndpointName } from './endpoints.js';
import * as errors from './errors.js';
import { InternalError } from './errors.js';

/** The OpenAPI version of the document; its schemas are JSON Schema 2020-12, 3.1's own dialect. */
export const OPENAPI_VERSION = '3.1.1';
/** Where the response and body schemas live inside the document. */
const COMPONENTS = '#/components/schemas/';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

/** The exported names of the contract's schemas, so that components read `SignupBody`, not `S3`. */
function exportedNames(): Map<z.ZodMiniType, string> {
  const names = new Map<z.ZodMiniType, string>();
  for (const [name, value] of Object.entries({ ...errors, ...endpoints })) {
    if (value instanceof z.ZodMiniType) names.set(value, name);
  }
  return names;
}

/**
 * One line per endpoint for people reading the document. Kept here rather than in the contract,
 * which the web app bundles whole; a new endpoint without a summary does not type-check.
 */
const SUMMARIES: Record<EndpointName, string> = {
  getSession: 'What this browser signed up with, and whether it is admin',
  signup: 'Put an address on the list and remember it in the session',
  subscribe:
    'The signup from a plain HTML form (no JavaScript, or another site): answers a page or a redirect',
  unregister: "Take this session's own address off the list",
  confirm: 'Confirm an address with the token from a confirmation mail',
  readUnsubscribe: 'The address an unsubscribe link names',
  unsubscribe: 'Take the address an unsubscribe link names off the list (RFC 8058 one-click)',
  getStats: 'How many addresses are on the list',
  getHealth: 'Whether the database answers',
  getSite:
    "The site's name, tagline and privacy link, and whether admin and the signup challenge are on",
  getTexts:
    "The visitor pages' texts in one language: `lang` if enabled, else as Accept-Language picks",
  getChallenge: 'A proof-of-work challenge (ALTCHA) for the signup form, while it is on',
  getOpenApi: 'This contract as an OpenAPI 3.1 document',
  adminLogin: 'Log this session in as admin',
  adminLogout: 'End the admin part of this session',
  listSubscribers: 'One page of the list, newest first, optionally filtered',
  getEmbedSettings: 'Where a signup form on another site posts to, and who may embed the page',
  deleteSubscriber: 'Take any address off the list (as a complaint: onto the suppression list)',
  addSubscriber: 'Add one address directly (source admin); a suppressed one only when told',
  deleteSubscribers: 'Take several addresses off the list in one request',
  listSuppressions: 'One page of the suppression list, in address order, and its size',
  liftSuppression: 'Take an address off the suppression list',
  getGrowth: 'Joined and left per UTC day, the last 90 days',
  exportSubscribers: 'The whole list as CSV (email,created_at,source), newest first',
  previewImport: 'Stage a CSV of addresses and count what importing it would do',
  confirmImport: "Put a staged import's addresses on the list, all at once",
  discardImport: 'Forget a staged import without importing it',
  getSettings: "The site's settings as stored, and what applies where they are unset",
  saveSettings: 'Save every site setting at once (all or nothing)',
  listAnnouncements: 'Past and present announcements, newest first, with their counts',
  createAnnouncement: 'Write a new announcement (a draft)',
  getAnnouncement: 'One announcement: its text and how far its send has come',
  updateAnnouncement: "Change a draft's text",
  deleteAnnouncement: 'Throw a draft away',
  previewAnnouncement: 'The mail a recipient would get: subject, HTML and text',
  previewAnnouncementPage: "The mail's HTML as a page, for the admin's preview frame",
  testAnnouncement: 'Send the announcement to one address now',
  sendAnnouncement: 'Start sending to every confirmed subscriber, at the configured pace',
  pauseAnnouncement: 'Hold a send: nothing more leaves until it resumes',
  resumeAnnouncement: 'Go on with a paused send',
  cancelAnnouncement: 'Stop a send for good; what went out stays sent',
  uploadLogo: 'Replace the logo with the uploaded PNG, JPEG or WebP image (no SVG)',
  deleteLogo: 'Remove the logo',
};

const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** `/api/admin/subscribers/:email` → `/api/admin/subscribers/{email}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

/** The schemas of one registry, as components: zod's own JSON Schema, minus what 3.1 implies. */
function componentSchemas(
  registry: z.core.$ZodRegistry<{ id: string }>,
  io: 'input' | 'output',
): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    uri: (id) => `${COMPONENTS}${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

/** One parameter per property of an object schema (a path's `:name`s, or the query string). */
function parameters(schema: z.ZodMiniType | undefined, where: 'path' | 'query'): Operation[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  204: 'No Content',
  303: 'See Other',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The contract as an OpenAPI 3.1 document, generated from the zod schemas with zod's own JSON
 * Schema output: request schemas as the server accepts them (`input`), response schemas as the
 * server sends them (`output`). Nothing in it is written by hand but the summaries the contract
 * carries; docs/http-api.md explains the rules around it.
 */
export function openApiDocument(): JsonSchema {
  const names = exportedNames();
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  const ref = (
    registry: z.core.$ZodRegistry<{ id: string }>,
    schema: z.ZodMiniType,
    fallback: string,
  ) => {
    const id = registry.get(schema)?.id ?? names.get(schema) ?? fallback;
    registry.add(schema, { id });
    return { $ref: `${COMPONENTS}${id}` };
  };

  const paths: Record<string, Record<string, Operation>> = {};
  for (const [name, endpoint] of Object.entries(contract) as [EndpointName, Endpoint][]) {
    const operation: Operation = {
      operationId: name,
      summary: SUMMARIES[name],
      tags: [endpoint.path.startsWith('/api/admin/') ? 'admin' : 'public'],
    };
    const params = [...parameters(endpoint.params, 'path'), ...parameters(endpoint.query, 'query')];
    if (params.length > 0) operation.parameters = params;
    if (endpoint.body) {
      operation.requestBody = {
        required: true,
        content: {
          'application/json': { schema: ref(requests, endpoint.body, `${capitalised(name)}Body`) },
        },
      };
    }
    if (endpoint.form) {
      const schema = ref(requests, endpoint.form, `${capitalised(name)}Form`);
      operation.requestBody = {
        required: true,
        content: Object.fromEntries(FORM_MEDIA_TYPES.map((type) => [type, { schema }])),
      };
    }
    if (endpoint.upload) {
      operation.requestBody = {
        required: true,
        content: { [endpoint.upload]: { schema: { type: 'string' } } },
      };
    }
    if (endpoint.admin) operation.security = [{ session: [] }];
    const answers: Record<string, Operation> = {};
    for (const [status, schema] of Object.entries({ ...endpoint.responses, 500: InternalError })) {
      const description = STATUS_TEXT[Number(status)] ?? `HTTP ${status}`;
      if (schema === null) {
        // A form's route answers its errors as pages too, and a redirect with a link to it.
        const page = endpoint.produces && (endpoint.form !== undefined || Number(status) < 300);
        answers[status] = page
          ? { description, content: { [endpoint.produces]: { schema: { type: 'string' } } } }
          : { description };
        if (Number(status) === 303) {
          (answers[status] as Operation).headers = { Location: { schema: { type: 'string' } } };
        }
        continue;
      }
      const fallback = `${capitalised(name)}${status}`;
      answers[status] = {
        description,
        content: { 'application/json': { schema: ref(responses, schema, fallback) } },
      };
    }
    operation.responses = answers;
    paths[openApiPath(endpoint.path)] ??= {};
    const byMethod = paths[openApiPath(endpoint.path)] as Record<string, Operation>;
    byMethod[endpoint.method.toLowerCase()] = operation;
  }

  const requestSchemas = componentSchemas(requests, 'input');
  const responseSchemas = componentSchemas(responses, 'output');
  for (const id of Object.keys(requestSchemas)) {
    if (id in responseSchemas)
      throw new Error(`openApiDocument: ${id} is both a request and a response`);
  }

  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'catlist HTTP API',
      version: '1',
      summary: 'A self-hosted email signup list.',
      description:
        'The rules around these operations (sessions, the origin check, CORS, limits, ' +
        'address normalisation, ownership) are in docs/http-api.md of the catlist repository.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: [
      { name: 'public', description: 'What the signup page uses; no login needed.' },
      { name: 'admin', description: 'The admin page; needs ADMIN_PASSWORD on the server.' },
    ],
    paths,
    components: {
      schemas: { ...requestSchemas, ...responseSchemas },
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'sid',
          description:
            'The signed session cookie (sid, with sid.sig) set by POST /api/admin/login.',
        },
      },
    },
  };
}
