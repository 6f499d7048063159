import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { FILING_STAGES } from '../../events/filing/filing-state';
import { LEGAL_TRANSITIONS } from '../../events/filing/transitions';
import { REGISTRY_STREAM_KINDS } from '../../events/registry/registry-transitions';
import { AUDIT_RULES } from './audit-report';

/** JSON schemas of the audit routes, shown at /docs and /openapi.json (types: `audit-report.ts`). */

const status: SchemaObject = { type: 'string', enum: Object.keys(LEGAL_TRANSITIONS) };
const stage: SchemaObject = { type: 'string', enum: [...FILING_STAGES] };
const instant = (description: string): SchemaObject => ({ type: 'string', format: 'date-time', description });

const findingSchema: SchemaObject = {
  type: 'object',
  required: ['seq', 'rule', 'message'],
  properties: {
    seq: { type: 'integer', description: 'the event (stream revision) it is about; -1 for the whole stream' },
    rule: { type: 'string', enum: [...AUDIT_RULES] },
    message: { type: 'string', description: 'plain words, free of personal data' },
  },
};

const timelineEntrySchema: SchemaObject = {
  type: 'object',
  required: [
    'seq',
    'occurredAt',
    'type',
    'actor',
    'status',
    'stage',
    'workingDaysInStage',
    'chainIntact',
    'applied',
  ],
  properties: {
    seq: { type: 'integer' },
    occurredAt: instant('workflow time of the event'),
    type: { type: 'string', description: 'event type, e.g. PlatformReviewApproved' },
    actor: {
      type: 'object',
      required: ['role', 'id'],
      properties: {
        role: { type: 'string' },
        id: { type: 'string' },
        platformId: { type: 'string' },
        province: { type: 'string' },
      },
    },
    status: { ...status, description: 'the filing’s status after the event' },
    stage: { ...stage, description: 'the filing’s stage after the event' },
    workingDaysInStage: { type: 'number', description: 'working days from entering the stage to the event' },
    chainIntact: { type: 'boolean', description: 'whether the event’s own link in the hash chain holds' },
    applied: { type: 'boolean', description: 'false for an event the replay could not apply' },
  },
};

const stageSpanSchema: SchemaObject = {
  type: 'object',
  required: ['stage', 'enteredAt', 'workingDays', 'overdue'],
  properties: {
    stage,
    enteredAt: instant(''),
    leftAt: instant('absent while the filing is still in the stage'),
    dueAt: instant('the review’s or SMS window’s due time, when the stage has one'),
    workingDays: { type: 'number' },
    overdue: { type: 'boolean' },
  },
};

export const auditReportSchema: SchemaObject = {
  type: 'object',
  description:
    'A replay of the filing’s stream from the event log (hash chain, legal transitions, actor role and scope, deadlines in China’s working days), cross-checked with the workflow’s history in Temporal when it answers in time.',
  required: ['filingId', 'verdict', 'events', 'findings', 'timeline', 'stages', 'temporal'],
  properties: {
    filingId: { type: 'string', format: 'uuid' },
    verdict: { type: 'string', enum: ['verified', 'findings'] },
    events: { type: 'integer', description: 'events read from the log' },
    status: { ...status, description: 'the status the history folds to' },
    platformId: { type: 'string' },
    province: { type: 'string', description: 'GB/T 2260 code of the reviewing bureau’s province' },
    findings: { type: 'array', items: findingSchema },
    timeline: { type: 'array', items: timelineEntrySchema },
    stages: { type: 'array', items: stageSpanSchema },
    temporal: {
      type: 'object',
      required: ['checked'],
      properties: {
        checked: { type: 'boolean', description: 'false when Temporal could not be asked in time' },
        reason: { type: 'string', description: 'why it was not checked (or the status query not answered)' },
        workflowExecution: { type: 'string', example: 'RUNNING' },
        workflowStatus: { ...status, description: 'the workflow’s own status: its status query or result' },
        appendsCompared: { type: 'integer', description: 'completed appendFilingEvents activities compared' },
      },
    },
  },
};

export const timelineSvgSchema: SchemaObject = {
  type: 'string',
  description:
    'Standalone SVG 1.1: one bar per stay in a stage on a time axis (China Standard Time) with its due time, overdue stays in red, every event as a dot (findings red, their rules in the tooltip), a legend, the verdict in the title.',
};

const registryTimelineEntrySchema: SchemaObject = {
  type: 'object',
  required: ['seq', 'type', 'sealed', 'chainIntact', 'applied'],
  properties: {
    seq: { type: 'integer' },
    type: { type: 'string', description: 'event type, e.g. ServiceNumberAllocated' },
    occurredAt: instant('when the fact was recorded; absent for an unsealed event'),
    recordedBy: {
      type: 'object',
      required: ['role', 'id'],
      description:
        'who recorded it: the system (issuance, approved filings applied), an admin (import) or an ISP (its access withdrawn; id: the ISP’s user); absent for an unsealed event',
      properties: { role: { type: 'string', enum: ['system', 'admin', 'isp'] }, id: { type: 'string' } },
    },
    sealed: { type: 'boolean', description: 'false for an event written before registry events were sealed' },
    chainIntact: { type: 'boolean', description: 'whether the event’s own link in the hash chain holds' },
    applied: { type: 'boolean', description: 'false for an event the replay could not apply' },
  },
};

export const registryAuditReportSchema: SchemaObject = {
  type: 'object',
  description:
    'A replay of a registry stream from the event log: hash chain and seq, legal transitions and numbering, recorder roles, event data.',
  required: ['streamId', 'kind', 'verdict', 'events', 'unsealed', 'findings', 'timeline'],
  properties: {
    streamId: { type: 'string', description: 'the registry stream (subject streams are named by a digest)' },
    kind: { type: 'string', enum: [...REGISTRY_STREAM_KINDS] },
    verdict: { type: 'string', enum: ['verified', 'findings'] },
    events: { type: 'integer', description: 'events read from the log' },
    unsealed: {
      type: 'array',
      items: { type: 'integer' },
      description: 'seqs of unsealed events opening the stream (written before sealing; not tampering)',
    },
    subjectNumber: { type: 'string' },
    serviceNumber: { type: 'string' },
    versions: {
      type: 'array',
      description:
        'a service stream without findings: every version, oldest first, with the filing that made it',
      items: {
        type: 'object',
        required: [
          'version',
          'name',
          'identifiers',
          'preApprovalCategories',
          'operatorName',
          'operatorNature',
          'since',
        ],
        properties: {
          version: { type: 'integer', minimum: 1 },
          name: { type: 'string' },
          identifiers: {
            type: 'object',
            description: 'packages, bundles, mini program, quick-app package, domains',
          },
          preApprovalCategories: { type: 'array', items: { type: 'string' } },
          operatorName: { type: 'string' },
          operatorNature: { type: 'string' },
          filingId: { type: 'string', description: 'absent for an imported registration' },
          since: { type: 'string', format: 'date', description: 'China date the version took effect' },
        },
      },
    },
    findings: { type: 'array', items: findingSchema },
    timeline: { type: 'array', items: registryTimelineEntrySchema },
  },
};
