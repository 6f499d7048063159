import { queryOf } from '../http/query-parameters';
import { type FieldError, type Parsed, type RequestField, required, textField } from '../http/request-fields';

const MAX_SIZE = 999_999_999_999;

/** A tree size or leaf count in decimal digits (the current tree's bound is checked against the tree). */
function sizeField(min: number, description: string): RequestField<number> {
  return {
    schema: { type: 'integer', minimum: min, maximum: MAX_SIZE, description },
    required: false,
    missingRule: 'required',
    read(value, name, errors) {
      const number = typeof value === 'string' && /^[0-9]{1,12}$/.test(value) ? Number(value) : NaN;
      if (number >= min) return number;
      errors.push({
        path: name,
        rule: 'out_of_range',
        message: `${name} must be a whole number from ${min}`,
      });
      return undefined;
    },
  };
}

const LEAF = /^(?:[0-9]{1,12}|[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/;

export const inclusionQuery = queryOf({
  leaf: required(
    textField({
      max: 64,
      shape: {
        regex: LEAF,
        rule: 'leaf_format',
        message: 'leaf must be a leaf index (decimal) or a leaf hash (base64 or 64 hex characters)',
      },
    }),
  ),
  treeSize: sizeField(1, 'the tree size to prove against; the current one when absent'),
});

export const consistencyQuery = queryOf({
  first: required(sizeField(0, 'the older tree size')),
  second: sizeField(0, 'the newer tree size; the current one when absent'),
});

export interface InclusionRequest {
  leaf: string;
  treeSize?: number;
}

export interface ConsistencyRequest {
  first: number;
  second?: number;
}

export function parseInclusionRequest(input: unknown): Parsed<InclusionRequest> {
  return inclusionQuery.parse(input) as Parsed<InclusionRequest>;
}

export function parseConsistencyRequest(input: unknown): Parsed<ConsistencyRequest> {
  const parsed = consistencyQuery.parse(input) as Parsed<ConsistencyRequest>;
  if (!parsed.ok) return parsed;
  const { first, second } = parsed.value;
  if (second !== undefined && first > second) {
    const error: FieldError = {
      path: 'first',
      rule: 'after_second',
      message: 'first must not exceed second',
    };
    return { ok: false, errors: [error] };
  }
  return parsed;
}
