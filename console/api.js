// Talks to the JSON API with the signed-in token. The token lives in sessionStorage only.

const TOKEN_KEY = 'icp.console.token';

export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * The claims of a JWT, read without verifying it: only to decide what to show. The API verifies the
 * token on every call. undefined when it is not a JWT.
 */
export function readClaims(token) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return undefined;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null && typeof claims.role === 'string'
      ? claims
      : undefined;
  } catch {
    return undefined;
  }
}

/** The signed-in actor, or undefined. */
export function session() {
  const token = storedToken();
  const claims = token ? readClaims(token) : undefined;
  return claims ? { token, ...claims } : undefined;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

/** Calls the API; resolves the JSON body (or text), rejects with ApiError on a non-2xx answer. */
export async function api(
  path,
  { method = 'GET', body, headers = {}, auth = true, as = 'json', token = storedToken() } = {},
) {
  const response = await fetch(path, {
    method,
    headers: {
      accept: as === 'json' ? 'application/json, application/problem+json' : '*/*',
      ...(auth && token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!response.ok) {
    let problem;
    try {
      problem = await response.json();
    } catch {
      problem = undefined;
    }
    throw new ApiError(response.status, problem);
  }
  if (as === 'blob') return response.blob();
  return response.json();
}

/** A query string from the defined, non-empty values. */
export function query(values) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
