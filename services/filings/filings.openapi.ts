import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { FILING_STAGES } from '../../events/filing/filing-state';
import { LEGAL_TRANSITIONS } from '../../events/filing/transitions';
import { OPERATOR_NATURES, SERVICE_TYPES } from '../../events/form/registration-form';

/** JSON schemas of the filings routes, shown at /docs and /openapi.json. */

const text = (description: string, extra: SchemaObject = {}): SchemaObject => ({
  type: 'string',
  description,
  ...extra,
});

export const problemSchema: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json)',
  required: ['type', 'title', 'status'],
  properties: {
    type: text('problem type URI'),
    title: text('short summary'),
    status: { type: 'integer' },
    detail: text('what went wrong, in one sentence'),
    errors: {
      type: 'array',
      description: 'validation errors, every one at once',
      items: {
        type: 'object',
        required: ['path', 'rule', 'message'],
        properties: {
          path: text('dotted path, e.g. appPrincipal.idNumber'),
          rule: text('stable rule code'),
          message: text(''),
        },
      },
    },
    stage: text('the filing’s current stage (409)'),
    filingStatus: text('the filing’s current status (409)'),
    attemptsLeft: { type: 'integer', description: 'SMS attempts left (422)' },
  },
};

export const filingStatusSchema: SchemaObject = {
  type: 'object',
  required: ['filingId', 'status', 'stage', 'overdue', 'revision'],
  properties: {
    filingId: text('', { format: 'uuid' }),
    status: text('', { enum: Object.keys(LEGAL_TRANSITIONS) }),
    stage: text('', { enum: [...FILING_STAGES] }),
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
    revision: { type: 'integer', description: 'seq of the last event in the filing’s stream' },
  },
};

const principalSchema: SchemaObject = {
  type: 'object',
  required: ['name', 'idType', 'idNumber', 'idValidUntil', 'mobile', 'email'],
  properties: {
    name: text(''),
    idType: text('', { example: 'resident_id' }),
    idNumber: text('resident ID (GB 11643) or other document number'),
    idValidUntil: text('YYYY-MM-DD or long-term'),
    mobile: text('', { example: '13800138000' }),
    email: text('', { format: 'email' }),
    emergencyContact: text(''),
  },
};

export const registrationFormSchema: SchemaObject = {
  type: 'object',
  description:
    'The Internet Information Service Registration Form; validated in full (`icp validate` shows the rules).',
  required: ['serviceType', 'appPrincipal', 'app', 'access'],
  properties: {
    serviceType: text('', { enum: [...SERVICE_TYPES] }),
    existingSubjectNumber: text('an ICP subject number the operator already holds', {
      example: '粤ICP备2021012345号',
    }),
    operator: {
      type: 'object',
      properties: {
        nature: text('', { enum: [...OPERATOR_NATURES] }),
        name: text(''),
        creditCode: text('USCC (GB 32100)'),
        idNumber: text('for an individual'),
        province: text('GB/T 2260 code'),
        city: text(''),
        address: text(''),
      },
    },
    operatorPrincipal: principalSchema,
    appPrincipal: principalSchema,
    app: {
      type: 'object',
      description:
        'name, serviceContent, languages, platforms (apps) or hostApp + miniProgramId, domains, sdks, preApprovals',
    },
    access: {
      type: 'object',
      properties: {
        ispName: text(''),
        accessMethod: text(''),
        serverLocation: text('GB/T 2260 code'),
        ipAddresses: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};

const reasons = text('required (non-blank) to reject or return', { maxLength: 2000 });

export const requestSchemas = {
  platformReview: {
    type: 'object',
    required: ['decision'],
    properties: { decision: text('', { enum: ['approve', 'reject', 'return'] }), reasons },
  },
  bureauReview: {
    type: 'object',
    required: ['decision'],
    properties: { decision: text('', { enum: ['approve', 'reject'] }), reasons },
  },
  reasonsOnly: { type: 'object', properties: { reasons: text('', { maxLength: 2000 }) } },
  correction: { type: 'object', required: ['form'], properties: { form: registrationFormSchema } },
  smsAnswer: {
    type: 'object',
    required: ['code', 'idLast6'],
    properties: {
      code: text('the 6 digits from the 12381 SMS', { pattern: '^\\d{6}$' }),
      idLast6: text('last 6 characters of the app principal’s ID number', { pattern: '^\\d{5}[\\dX]$' }),
    },
  },
} satisfies Record<string, SchemaObject>;

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, schema: problemSchema });

/** The responses every authenticated filings route shares. */
export function ApiAuthenticated() {
  return applyDecorators(
    ApiBearerAuth(),
    problem(401, 'no or invalid token'),
    problem(403, 'the caller’s role may not call this route'),
  );
}

/** A decision sent to the filing's workflow as an update. */
export function ApiDecision(body: SchemaObject) {
  return applyDecorators(
    ApiAuthenticated(),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'the action id: repeating it records the decision once',
    }),
    ApiBody({ schema: body }),
    ApiResponse({ status: 200, description: 'the filing after the decision', schema: filingStatusSchema }),
    problem(400, 'invalid request'),
    problem(404, 'no such filing in the caller’s scope'),
    problem(409, 'the decision does not fit the filing’s current stage'),
  );
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
