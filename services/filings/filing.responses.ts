import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { FILING_KINDS } from '../../events/filing/filing-kind';
import { FILING_STAGES } from '../../events/filing/filing-state';
import { LEGAL_TRANSITIONS } from '../../events/filing/transitions';
import { SERVICE_TYPES } from '../../events/form/registration-form';
import type { JsonSchema } from '../../events/form/schema/json-schema';
import { ApiRoute } from '../http/openapi-operation';

/** Shapes of the filings routes' answers (`FilingStatusView`, `FilingSummaryRow`), checked by the fuzzer. */

const text = (description: string, extra: SchemaObject = {}): SchemaObject => ({
  type: 'string',
  description,
  ...extra,
});

/** One per-field reason: `path` a field of the registration form (`app.platforms.0.packageName`). */
export const fieldReasonSchema: SchemaObject = {
  type: 'object',
  required: ['path', 'problem'],
  properties: {
    path: text('a field path of the registration form', { example: 'app.platforms.0.packageName' }),
    problem: text('what is wrong with the field'),
    suggestion: text('what to change'),
  },
};

export const filingStatusSchema: SchemaObject = {
  type: 'object',
  required: ['filingId', 'status', 'stage', 'overdue', 'revision'],
  properties: {
    filingId: text('', { format: 'uuid' }),
    status: text('', { enum: Object.keys(LEGAL_TRANSITIONS) }),
    stage: text('', { enum: [...FILING_STAGES] }),
    kind: text('what the filing asks for', { enum: [...FILING_KINDS] }),
    target: {
      type: 'object',
      description: 'the registration a change, cancellation or new access acts on',
      required: ['subjectNumber'],
      properties: {
        subjectNumber: text('', { example: '粤ICP备2026000123号' }),
        serviceNumber: text('absent: the whole subject (a subject cancellation)', {
          example: '粤ICP备2026000123号-1A',
        }),
        alters: {
          type: 'object',
          description: 'a change: whether it alters the subject’s and the service’s sections',
          properties: { subject: { type: 'boolean' }, service: { type: 'boolean' } },
        },
        baseFilingId: text('the filing that made the registered version', { format: 'uuid' }),
      },
    },
    serviceType: text('', { enum: [...SERVICE_TYPES] }),
    province: text('GB/T 2260 code of the reviewing bureau’s province', { example: '440000' }),
    appName: text(''),
    platformId: text(''),
    registrationNumber: text('once issued', { example: '粤ICP备2026000123号-1A' }),
    dueBy: text('due time of the current review or SMS window', { format: 'date-time' }),
    provisional: {
      type: 'boolean',
      description: 'due time computed for a year whose holidays are not announced',
    },
    overdue: { type: 'boolean' },
    smsAttemptsLeft: { type: 'integer' },
    reasons: text('reasons of a return or rejection'),
    fieldReasons: {
      type: 'array',
      description: 'per-field reasons of a return or rejection, when the reviewer gave any',
      items: fieldReasonSchema,
    },
    returnedBy: text('who returned the filing for correction', { enum: ['platform', 'bureau', 'registry'] }),
    revision: { type: 'integer', description: 'seq of the last event in the filing’s stream' },
    ...filingKindProperties(),
  },
};

/** A filing row's kind and the numbers of the registration it acts on (`FilingKindColumns`). */
export function filingKindProperties(): Record<string, SchemaObject> {
  return {
    kind: text('what the filing asks for; new_registration unless it acts on a registration', {
      enum: [...FILING_KINDS],
    }),
    targetSubjectNumber: text('the subject number a change, cancellation or new access acts on', {
      example: '粤ICP备2026000123号',
    }),
    targetServiceNumber: text('the service number it acts on; absent for a subject cancellation', {
      example: '粤ICP备2026000123号-1A',
    }),
  };
}

export const pageSchema = (item: SchemaObject): SchemaObject => ({
  type: 'object',
  required: ['items'],
  properties: {
    items: { type: 'array', items: item },
    nextCursor: {
      type: 'string',
      description: 'pass as `cursor` for the next page; absent on the last page',
    },
  },
});

/** The headers of an answer that is a filing: its revision as ETag, and for a read where it came from. */
export function filingAnswerHeaders(
  read: boolean,
): Record<string, { description: string; schema: SchemaObject }> {
  return {
    ETag: {
      description: 'the filing’s revision, quoted ("7"): send it as minRevision to read this answer back',
      schema: { type: 'string', pattern: '^"[0-9]+"$' },
    },
    ...(read && {
      'X-Read-Source': {
        description: 'read-model: the filing_summary row; workflow: the workflow’s live state',
        schema: { type: 'string', enum: ['read-model', 'workflow'] },
      },
    }),
  };
}

/** A decision sent to the filing's workflow as an update; answers with the filing after it. */
export function ApiDecision(
  body: { readonly schema: JsonSchema; parse(input: unknown): unknown },
  bodyRequired = true,
) {
  return applyDecorators(
    ApiRoute({
      bearer: true,
      filingId: true,
      body: body as Parameters<typeof ApiRoute>[0]['body'],
      bodyRequired,
      idempotencyKey: 'optional',
      problems: {
        404: 'no such filing in the caller’s scope',
        409: 'the decision does not fit the filing’s current stage, or the key was used for another decision',
        503: 'the workflow engine is unavailable; send again with the same Idempotency-Key',
      },
    }),
    ApiResponse({
      status: 200,
      description: 'the filing after the decision',
      headers: filingAnswerHeaders(false),
      schema: filingStatusSchema,
    }),
  );
}
