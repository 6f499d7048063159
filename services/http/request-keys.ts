import { randomUUID } from 'node:crypto';
import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationProblem } from './problem-details';

export const MAX_KEY_LENGTH = 128;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

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

/** `:id` of a filing route: a UUID v4, or 400 naming the parameter. */
export const filingIdPipe = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () =>
    new ValidationProblem([{ path: 'id', rule: 'uuid_v4', message: 'id must be a filing id (a UUID v4)' }]),
});
