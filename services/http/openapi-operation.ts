import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { ApiQueryOptions } from '@nestjs/swagger';
import type { JsonSchema } from '../../events/form/schema/json-schema';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { problemSchema } from './problem.schema';
import { openApiParameters } from './query-parameters';
import type { RequestField } from './request-fields';
import { FILING_ID, IDEMPOTENCY_KEY_PATTERN, OPTIONAL_IDEMPOTENCY_KEY_PATTERN } from './request-keys';
import type { RequestObject } from './request-object';

type AnyRequest = RequestObject<Readonly<Record<string, RequestField<unknown>>>>;

/** Statuses a route may answer with a problem, and why, beyond those every request may meet. */
export type RouteProblems = Partial<Record<400 | 401 | 403 | 404 | 409 | 422 | 429 | 503, string>>;

export interface RouteDoc {
  readonly problems: RouteProblems;
  /** Needs `Authorization: Bearer`: 401 and 403 are added. */
  readonly bearer?: boolean;
  readonly filingId?: boolean;
  readonly query?: AnyRequest;
  readonly body?: AnyRequest | JsonSchema;
  readonly bodyRequired?: boolean;
  readonly idempotencyKey?: 'required' | 'optional';
}

const HEADERS: Readonly<Record<number, Record<string, { description: string; schema: JsonSchema }>>> = {
  401: { 'WWW-Authenticate': { description: 'the Bearer challenge', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } },
  503: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } },
};

/** A problem answer, always `application/problem+json`. */
export function ApiProblem(status: number, description: string): MethodDecorator {
  return ApiResponse({
    status,
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
    ...(HEADERS[status] ? { headers: HEADERS[status] } : {}),
  });
}

/**
 * Documents a route from the declarations its pipes validate with: the query, the body, `:id` and
 * the key, and every problem it can answer, those any request can meet (431, and 413/415 with a
 * body) included.
 */
export function ApiRoute(doc: RouteDoc): MethodDecorator {
  const problems: Record<number, string | undefined> = {
    431: 'the request line and headers exceed 16 KiB',
    ...(doc.bearer
      ? { 401: 'no token, or one that is not acceptable', 403: 'the caller’s role may not call this route' }
      : {}),
    ...(doc.filingId || doc.query || doc.body
      ? { 400: 'a parameter or the body is invalid; errors[] lists every problem' }
      : {}),
    ...(doc.body ? { 413: 'the body exceeds 256 KiB', 415: 'the body is not UTF-8 application/json' } : {}),
    ...doc.problems,
  };
  return applyDecorators(
    ...(doc.bearer ? [ApiBearerAuth()] : []),
    ...(doc.filingId ? [ApiFilingId()] : []),
    ...(doc.query ? openApiParameters(doc.query).map((p) => ApiQuery(p as unknown as ApiQueryOptions)) : []),
    ...(doc.body ? [ApiBody({ schema: bodySchema(doc.body), required: doc.bodyRequired ?? true })] : []),
    ...(doc.idempotencyKey ? [ApiIdempotencyKey(doc.idempotencyKey)] : []),
    ...Object.entries(problems).map(([status, why]) => ApiProblem(Number(status), why ?? '')),
  );
}

function bodySchema(body: AnyRequest | JsonSchema): JsonSchema {
  return 'parse' in body ? (body as AnyRequest).schema : body;
}

function ApiFilingId(): MethodDecorator {
  return ApiParam({
    name: 'id',
    description: 'the filing id, a UUID v4',
    schema: { type: 'string', pattern: FILING_ID.source },
  });
}

function ApiIdempotencyKey(presence: 'required' | 'optional'): MethodDecorator {
  const required = presence === 'required';
  return ApiHeader({
    name: 'Idempotency-Key',
    required,
    description: required
      ? 'same key and body → the same filing; 1–128 visible ASCII characters'
      : 'the action id: repeating it records the decision once; blank counts as none',
    schema: {
      type: 'string',
      pattern: required ? IDEMPOTENCY_KEY_PATTERN : OPTIONAL_IDEMPOTENCY_KEY_PATTERN,
    },
  });
}
