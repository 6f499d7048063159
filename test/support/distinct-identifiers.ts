import { sha256Hex } from '../../events/ids';

/**
 * A form fixture made a service of its own: its package names, bundle ids, mini-program id and
 * quick-app package get `tag` appended, since an identifier already in another filing is refused at
 * submission (409). Everything else stays as the fixture has it. Returns a copy.
 */
export function withDistinctIdentifiers<T>(form: T, tag: string): T {
  // A package-name part: ASCII tags are kept readable, others (a Chinese app name) are hashed.
  const part = /^[A-Za-z0-9_-]+$/.test(tag)
    ? `t${tag.replace(/[-_]/g, '')}`
    : `h${sha256Hex(tag).slice(0, 12)}`;
  const copy = structuredClone(form) as { app?: Record<string, unknown> };
  const app = copy.app;
  if (!app) return copy as T;
  if (Array.isArray(app.platforms)) {
    app.platforms = (app.platforms as Record<string, unknown>[]).map((platform) => ({
      ...platform,
      ...(typeof platform.packageName === 'string' ? { packageName: `${platform.packageName}.${part}` } : {}),
      ...(typeof platform.bundleId === 'string' ? { bundleId: `${platform.bundleId}.${part}` } : {}),
    }));
  }
  if (typeof app.miniProgramId === 'string') app.miniProgramId = `${app.miniProgramId}${part}`.slice(0, 64);
  if (typeof app.quickAppPackage === 'string') app.quickAppPackage = `${app.quickAppPackage}.${part}`;
  return copy as T;
}
