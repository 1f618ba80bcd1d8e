/**
 * NextGen Market API client: openapi-fetch over the types openapi-typescript generates
 * from openapi.json (src/schema.d.ts, `make sdk`). Every path, parameter and body is
 * typed; responses come back as `{ data, error, response }`.
 */
import createClient, { type Client } from "openapi-fetch";

import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };
export type Schemas = components["schemas"];
export type ApiClient = Client<paths>;

export interface ClientOptions {
  /** The server, e.g. https://api.example.com (paths start with /api/v1). */
  baseUrl: string;
  /** An end user's access token (JWT) or a partner's API key. */
  token?: string;
  fetch?: typeof globalThis.fetch;
}

export function createApiClient({ baseUrl, token, fetch }: ClientOptions): ApiClient {
  return createClient<paths>({
    baseUrl,
    fetch,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}
