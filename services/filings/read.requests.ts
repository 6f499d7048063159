import { queryOf } from '../http/query-parameters';
import { choiceField, type FieldError, type Parsed, type RequestField } from '../http/request-fields';

/** `eventual`: the read model (default); `strong`: the filing workflow itself. */
export const READ_CONSISTENCIES = ['eventual', 'strong'] as const;
export type ReadConsistency = (typeof READ_CONSISTENCIES)[number];

export interface FilingReadQuery {
  consistency: ReadConsistency;
  /** Wait (briefly) until the read model holds at least this revision; a write's answer gives it. */
  minRevision?: number;
}

/** The largest revision a caller may ask for: nine digits, far beyond any filing's stream. */
const MAX_REVISION = 999_999_999;
const REVISION = /^[0-9]{1,9}$/;

/** A stream revision: a whole number from 0, in decimal digits. */
function revisionField(): RequestField<number> {
  return {
    schema: {
      type: 'integer',
      minimum: 0,
      maximum: MAX_REVISION,
      description:
        'wait briefly until the read model holds this revision (the `revision` or ETag of a write’s answer); else the workflow answers',
    },
    required: false,
    missingRule: 'required',
    read(value, name, errors) {
      const revision = readRevision(value);
      if (revision === undefined) errors.push(outOfRange(name));
      return revision;
    },
  };
}

function readRevision(value: unknown): number | undefined {
  return typeof value === 'string' && REVISION.test(value) ? Number(value) : undefined;
}

function outOfRange(path: string): FieldError {
  return { path, rule: 'out_of_range', message: `${path} must be a whole number from 0 to ${MAX_REVISION}` };
}

export const filingReadQuery = queryOf({
  consistency: {
    ...choiceField(READ_CONSISTENCIES),
    schema: {
      type: 'string',
      enum: [...READ_CONSISTENCIES],
      default: 'eventual',
      description: 'eventual: from the read model (read-your-writes with minRevision); strong: the workflow',
    },
  },
  minRevision: revisionField(),
});

/**
 * `?consistency=&minRevision=`, and the `X-Min-Revision` header (its name as the error's path); both
 * given: the higher revision counts.
 */
export function parseFilingRead(
  query: unknown,
  minRevisionHeader: string | undefined,
): Parsed<FilingReadQuery> {
  const parsed = filingReadQuery.parse(query);
  const errors = parsed.ok ? [] : [...parsed.errors];
  const header = minRevisionHeader === undefined ? undefined : readRevision(minRevisionHeader.trim());
  if (minRevisionHeader !== undefined && header === undefined) errors.push(outOfRange('X-Min-Revision'));
  if (!parsed.ok || errors.length > 0) return { ok: false, errors };
  const { consistency = 'eventual', minRevision } = parsed.value;
  const highest = Math.max(minRevision ?? -1, header ?? -1);
  return { ok: true, value: { consistency, ...(highest >= 0 && { minRevision: highest }) } };
}
