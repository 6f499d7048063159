import { randomUUID } from 'node:crypto';
import type { PipeTransform } from '@nestjs/common';
import { ValidationProblem } from './problem-details';

export const MAX_KEY_LENGTH = 128;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
/** What a key header may hold, as published: HTTP drops the spaces and tabs around a header's value. */
const KEY = `[\\x21-\\x7e]{1,${MAX_KEY_LENGTH}}`;
export const IDEMPOTENCY_KEY_PATTERN = `^[ \\t]*${KEY}[ \\t]*$`;
/** A decision's optional key: a blank one counts as none. */
export const OPTIONAL_IDEMPOTENCY_KEY_PATTERN = `^[ \\t]*(?:${KEY}[ \\t]*)?$`;

function keyProblem(value: string): ValidationProblem {
  return new ValidationProblem([
    {
      path: 'Idempotency-Key',
      rule: value ? 'idempotency_key_format' : 'required',
      message: `the Idempotency-Key header is required: 1–${MAX_KEY_LENGTH} visible ASCII characters`,
    },
  ]);
}

/** The `Idempotency-Key` of a submission: required, 1–128 visible ASCII characters. */
export function requireIdempotencyKey(header: string | undefined): string {
  const value = header?.trim() ?? '';
  if (!value || value.length > MAX_KEY_LENGTH || !VISIBLE_ASCII.test(value)) throw keyProblem(value);
  return value;
}

/**
 * The action id of a decision (its Temporal update id): the `Idempotency-Key` when given, in the same
 * form as a submission's (Temporal refuses ids over 1,000 characters), else a fresh UUID.
 */
export function decisionActionId(header: string | undefined): string {
  return header?.trim() ? requireIdempotencyKey(header) : randomUUID();
}

/** A filing id: a UUID v4, in either case. The same expression is published as `:id`'s pattern. */
export const FILING_ID =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;

/** `:id` of a filing route: a UUID v4, or 400 naming the parameter. */
export const filingIdPipe: PipeTransform<unknown, Promise<string>> = {
  async transform(value) {
    if (typeof value === 'string' && FILING_ID.test(value)) return value;
    throw new ValidationProblem([
      { path: 'id', rule: 'uuid_v4', message: 'id must be a filing id (a UUID v4)' },
    ]);
  },
};
