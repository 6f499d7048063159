import { WHITESPACE_CHARACTERS, WHITESPACE_RUN } from '../../events/form/schema/json-schema';
import { queryOf } from '../http/query-parameters';
import { codePoints, type Parsed, required, type RequestField } from '../http/request-fields';

export const MAX_SEARCH_LENGTH = 200;

export interface AuditSearchRequest {
  /** A filing id, a registration number (or its beginning) or part of an app or operator name. */
  q: string;
}

const CONTROL = '\\x00-\\x1f\\x7f-\\x9f';
const CONTROL_CHARACTER = new RegExp(`[${CONTROL}]`);
/** One character of q once trimmed: at its ends it is neither whitespace nor control, inside not control. */
const END = `[^${WHITESPACE_CHARACTERS}${CONTROL}]`;
const INSIDE = `[^${CONTROL}]`;

/** `q` trimmed: 1–200 characters, no control characters (blank counts as missing). */
const searchText: RequestField<string> = {
  schema: {
    type: 'string',
    pattern: `^${WHITESPACE_RUN}${END}(?:${INSIDE}{0,${MAX_SEARCH_LENGTH - 2}}${END})?${WHITESPACE_RUN}$`,
    description: `a filing id, a registration number or part of one, or part of a name; ${MAX_SEARCH_LENGTH} characters at most once trimmed`,
  },
  required: false,
  missingRule: 'required',
  read(value, name, errors) {
    const q = String(value).trim();
    if (q === '')
      errors.push({ path: name, rule: 'required', message: 'q is required: a filing id, number or name' });
    else if (codePoints(q) > MAX_SEARCH_LENGTH) {
      errors.push({
        path: name,
        rule: 'too_long',
        message: `q must be at most ${MAX_SEARCH_LENGTH} characters`,
      });
    } else if (CONTROL_CHARACTER.test(q)) {
      errors.push({
        path: name,
        rule: 'invalid_characters',
        message: 'q must not contain control characters',
      });
    } else return q;
    return undefined;
  },
};

/** `?q=` once; nothing else. */
export const auditSearchQuery = queryOf({ q: required(searchText) });

export function parseAuditSearchQuery(input: unknown): Parsed<AuditSearchRequest> {
  return auditSearchQuery.parse(input) as Parsed<AuditSearchRequest>;
}
