import { adminEndpoints } from './admin-endpoints.js';
import { announcementEndpoints } from './announcement-endpoints.js';
import { challengeEndpoints } from './challenge-endpoints.js';
import type { Endpoint } from './endpoint.js';
import { formEndpoints } from './form-endpoints.js';
import { logoEndpoints } from './logo-endpoints.js';
import { mailLinkEndpoints } from './mail-link-endpoints.js';
import { publicEndpoints } from './public-endpoints.js';
import { serviceEndpoints } from './service-endpoints.js';
import { settingsEndpoints } from './settings-endpoints.js';
import { textsEndpoints } from './texts-endpoints.js';

// The contract comes in groups, one module each, so that a client bundles only the endpoints
// (and schemas) it calls: the web app's signup page sends publicRoutes up front and loads
// publicEndpoints with its API client.
export * from './admin-endpoints.js';
export * from './announcement-endpoints.js';
export * from './challenge-endpoints.js';
export * from './endpoint.js';
export * from './form-endpoints.js';
export * from './logo-endpoints.js';
export * from './mail-link-endpoints.js';
export * from './public-endpoints.js';
export * from './public-routes.js';
export * from './service-endpoints.js';
export * from './settings-endpoints.js';
export * from './texts-endpoints.js';

const { getSession, signup, unregister, getStats, getSite } = publicEndpoints;

/**
 * The catlist HTTP API, version 1 with ownership (docs/http-api.md): every group, in the order
 * the OpenAPI document lists them.
 */
export const contract = {
  getSession,
  signup,
  ...formEndpoints,
  unregister,
  ...mailLinkEndpoints,
  getStats,
  getSite,
  ...textsEndpoints,
  ...challengeEndpoints,
  ...serviceEndpoints,
  ...adminEndpoints,
  ...settingsEndpoints,
  ...announcementEndpoints,
  ...logoEndpoints,
} as const satisfies Record<string, Endpoint>;

export type Contract = typeof contract;
export type EndpointName = keyof Contract;
