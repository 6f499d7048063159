/** Where a value sits in the form: keys and list indexes from the root. */
export type FieldPath = readonly (string | number)[];

/** The path of the form itself, for problems with the whole input (e.g. it is not an object). */
export const ROOT_PATH = '$';

/** Keys that read unambiguously between dots; anything else (`""`, `"a.b"`, `" "`) is quoted. */
const PLAIN_KEY = /^[^\s.[\]"]+$/u;

/**
 * Dotted form, list indexes included: `app.platforms.0.packageName`. A key that could not be read
 * back from that form (empty, or holding a dot, bracket, quote or space) is written as a JSON string
 * in brackets: `app["build.gradle"]`.
 */
export function formatPath(path: FieldPath): string {
  if (path.length === 0) return ROOT_PATH;
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number' || PLAIN_KEY.test(segment)) text += `${text === '' ? '' : '.'}${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
