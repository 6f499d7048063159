import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { FILING_KINDS } from '../../events/filing/filing-kind';
import { FILING_STAGES } from '../../events/filing/filing-state';

const stage: SchemaObject = { type: 'string', enum: FILING_STAGES.filter((name) => name !== 'submission') };
const kind: SchemaObject = { type: 'string', enum: [...FILING_KINDS] };
// OpenAPI 3.1 spells nullable as a type list, which Nest's 3.0 typings do not know.
const nullableNumber = { type: ['number', 'null'] } as unknown as SchemaObject;

const stageFiguresSchema: SchemaObject = {
  type: 'object',
  required: ['stage', 'filings', 'overdue', 'finishedVisits', 'medianWorkingDays', 'medianCalendarDays'],
  properties: {
    stage,
    filings: { type: 'integer', description: 'filings in this stage now' },
    overdue: { type: 'integer' },
    finishedVisits: { type: 'integer', description: 'finished stays in the stage' },
    medianWorkingDays: { ...nullableNumber, description: 'median working days of a finished stay' },
    medianCalendarDays: { ...nullableNumber, description: 'median calendar days of a finished stay' },
  },
};

const totals = {
  filings: { type: 'integer', description: 'filings ever submitted' },
  open: { type: 'integer', description: 'filings not yet closed' },
  overdue: { type: 'integer', description: 'open filings past their review’s due time' },
} satisfies Record<string, SchemaObject>;

export const slaDashboardSchema: SchemaObject = {
  type: 'object',
  required: ['filings', 'open', 'overdue', 'stages', 'byProvince', 'byKind'],
  properties: {
    province: { type: 'string', description: 'present when the figures are one province’s' },
    kind: { ...kind, description: 'present when the figures are one filing kind’s' },
    ...totals,
    stages: { type: 'array', items: stageFiguresSchema },
    campaigns: {
      type: 'array',
      description:
        'accuracy campaigns open in the province (all provinces for an auditor), with their progress',
      items: { type: 'object' },
    },
    byProvince: {
      type: 'array',
      items: {
        type: 'object',
        required: ['province', 'stage', 'filings', 'overdue'],
        properties: {
          province: { type: 'string' },
          stage,
          filings: { type: 'integer' },
          overdue: { type: 'integer' },
        },
      },
    },
    byKind: {
      type: 'array',
      description: 'the same figures per filing kind, every kind (or the one asked for), in a fixed order',
      items: {
        type: 'object',
        required: ['kind', 'filings', 'open', 'overdue', 'stages'],
        properties: { kind, ...totals, stages: { type: 'array', items: stageFiguresSchema } },
      },
    },
  },
};
