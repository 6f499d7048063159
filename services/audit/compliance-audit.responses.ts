import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { COMPLIANCE_RECORDER_ROLES } from '../../events/compliance/compliance-envelope';
import { COMPLIANCE_STREAM_KINDS } from '../../events/compliance/compliance-streams';

export const complianceAuditReportSchema: SchemaObject = {
  type: 'object',
  description:
    'A replay of a compliance stream from the event log: hash chain, seq and ids, event places and recorders.',
  required: ['streamId', 'kind', 'verdict', 'events', 'findings', 'timeline'],
  properties: {
    streamId: { type: 'string' },
    kind: { type: 'string', enum: [...COMPLIANCE_STREAM_KINDS] },
    verdict: { type: 'string', enum: ['verified', 'findings'] },
    events: { type: 'integer', description: 'events read from the log' },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['seq', 'rule', 'message'],
        properties: { seq: { type: 'integer' }, rule: { type: 'string' }, message: { type: 'string' } },
      },
    },
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        required: ['seq', 'type'],
        properties: {
          seq: { type: 'integer' },
          type: { type: 'string' },
          occurredAt: { type: 'string', format: 'date-time' },
          recordedBy: {
            type: 'object',
            required: ['role', 'id'],
            properties: {
              role: { type: 'string', enum: [...COMPLIANCE_RECORDER_ROLES] },
              id: { type: 'string' },
            },
          },
        },
      },
    },
  },
};
