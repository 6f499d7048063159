import type { Request } from 'express';

/** What this module reads of Express's router: its layers, the routes on them, and their matchers. */
interface RouterLayer {
  readonly route?: { _methods(): string[] };
  match(path: string): boolean;
}

/**
 * The methods the app's routes answer at the request's path, from Express's own router (`HEAD`
 * comes with `GET`), or none when no route has the path. Read when a request matched no route, so a
 * method a path does not have is told apart from a path that does not exist.
 */
export function allowedMethodsAt(request: Request): string[] {
  const app = request.app as unknown as { router?: { stack?: readonly RouterLayer[] } } | undefined;
  const stack = app?.router?.stack;
  const methods = new Set<string>();
  for (const layer of stack ?? []) {
    if (layer.route && layer.match(request.path)) {
      for (const method of layer.route._methods()) methods.add(method);
    }
  }
  return [...methods].sort();
}
