import type { PipeTransform } from '@nestjs/common';
import {
  COMPLIANCE_STREAM_KINDS,
  type ComplianceStreamKind,
  complianceStreamKindOf,
} from '../../events/compliance/compliance-streams';
import { ValidationProblem } from '../http/problem-details';
import { queryOf } from '../http/query-parameters';
import { choiceField, type Parsed } from '../http/request-fields';

/** `:streamId` of a compliance stream (`compliance-inspection-…`), or 400 naming the parameter. */
export const complianceStreamIdPipe: PipeTransform<unknown, Promise<string>> = {
  async transform(value) {
    if (typeof value === 'string' && value.length <= 200 && complianceStreamKindOf(value) !== undefined)
      return value;
    throw new ValidationProblem([
      {
        path: 'streamId',
        rule: 'compliance_stream_id',
        message: `streamId must name a compliance stream (${COMPLIANCE_STREAM_KINDS.join(', ')})`,
      },
    ]);
  },
};

/** `?kind=` (optional): list the streams of one kind. */
export const complianceStreamsQuery = queryOf({ kind: choiceField(COMPLIANCE_STREAM_KINDS) });

export function parseComplianceStreamsQuery(input: unknown): Parsed<{ kind?: ComplianceStreamKind }> {
  return complianceStreamsQuery.parse(input) as Parsed<{ kind?: ComplianceStreamKind }>;
}
