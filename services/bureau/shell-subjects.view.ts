import type { RegistrySubjectRow } from '../../events/ports/read-models.port';

/** A subject left without services (空壳主体), as its province's bureau sees it: public facts and the flag. */
export interface ShellSubject {
  subjectNumber: string;
  province: string;
  operatorName?: string;
  operatorNature?: string;
  /** China date it was flagged. */
  flaggedOn: string;
  /** The service whose cancellation left it without services. */
  lastServiceNumber: string;
}

/** Named fields only: never the subject's stream (its certificate's digest). */
export function shellSubjectOf(row: RegistrySubjectRow): ShellSubject {
  return {
    subjectNumber: row.subjectNumber,
    province: row.province,
    ...(row.operatorName !== undefined && { operatorName: row.operatorName }),
    ...(row.operatorNature !== undefined && { operatorNature: row.operatorNature }),
    flaggedOn: row.shell?.flaggedOn ?? '',
    lastServiceNumber: row.shell?.lastServiceNumber ?? '',
  };
}

export const shellSubjectSchema = {
  type: 'object',
  required: ['subjectNumber', 'province', 'flaggedOn', 'lastServiceNumber'],
  properties: {
    subjectNumber: { type: 'string' },
    province: { type: 'string', description: 'GB/T 2260 code' },
    operatorName: { type: 'string' },
    operatorNature: { type: 'string' },
    flaggedOn: { type: 'string', format: 'date', description: 'China date it was left without services' },
    lastServiceNumber: {
      type: 'string',
      description: 'the service whose cancellation left it without services',
    },
  },
};
