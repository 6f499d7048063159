import type { Request } from 'express';

/**
 * The template of the route that matched (e.g. `/v1/filings/:id`), or undefined when none did.
 * Express keeps the matched route on the request until the response ends.
 */
export function routeTemplateOf(request: Request): string | undefined {
  const route: unknown = request.route;
  if (typeof route !== 'object' || route === null || !('path' in route)) return undefined;
  return typeof route.path === 'string' ? `${request.baseUrl}${route.path}` : undefined;
}
