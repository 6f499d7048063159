import type { JsonSchema } from '../../events/form/schema/json-schema';

const text = (description: string): JsonSchema => ({ type: 'string', description });

/** RFC 9457 problem details, as `ProblemDetails` in problem-details.ts sends them. */
export const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: text('problem type URI, or about:blank'),
    title: text('short summary'),
    status: { type: 'integer' },
    detail: text('what went wrong, in one sentence'),
    errors: {
      type: 'array',
      description: 'every error at once, each placed at the field it is about',
      items: {
        type: 'object',
        required: ['path', 'rule', 'message'],
        properties: {
          path: text('dotted path, e.g. appPrincipal.idNumber; $ for the whole input'),
          rule: text('stable rule code'),
          message: text('one sentence that never repeats the value'),
        },
      },
    },
    stage: text('the filing’s current stage (409)'),
    filingStatus: text('the filing’s current status (409)'),
    attemptsLeft: { type: 'integer', description: 'SMS attempts left (422)' },
    conflicts: {
      type: 'array',
      description:
        'a service identifier held by another filing of the caller’s own platform (409): the service number or filing id holding each field',
      items: {
        type: 'object',
        required: ['path'],
        properties: {
          path: text('the field, as in errors'),
          serviceNumber: text('issued'),
          filingId: text('open'),
        },
      },
    },
  },
};
