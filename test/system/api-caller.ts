import type { StartedSystem } from './started-system';

export interface ApiAnswer {
  status: number;
  type: string;
  json: Record<string, unknown>;
}

/**
 * A JSON call to a started system's API: as the named token's holder (none: anonymous), with a body
 * and an Idempotency-Key when given. The system is read at call time (tests start it in beforeAll).
 */
export function apiCaller(system: () => StartedSystem, tokens: Readonly<Record<string, string>>) {
  return async (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    key?: string,
  ): Promise<ApiAnswer> => {
    const response = await fetch(`${system().base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${tokens[token]}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      json: /json/.test(type) ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };
}
