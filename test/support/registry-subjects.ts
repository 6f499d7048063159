import type { EventLog } from '../../events/ports/event-log.port';
import { EMPTY_REGISTRY_STREAM, sealRegistryEvent } from '../../events/registry/registry-envelope';
import type { SubjectRegisteredData } from '../../events/registry/registry-events';
import { subjectKeyDigestOf, subjectStreamId } from '../../events/registry/registry-streams';

export type ImportedSubject = Omit<SubjectRegisteredData, 'subjectKeyDigest' | 'source'> & {
  /** `uscc:<USCC>` or `id:<resident ID>`, as `subjectKeyOf` builds it. */
  readonly subjectKey: string;
};

/** A subject the registry holds from before this system, written as an import writes it. */
export async function registerImportedSubject(eventLog: EventLog, subject: ImportedSubject): Promise<void> {
  const { subjectKey, ...rest } = subject;
  const data = { ...rest, subjectKeyDigest: subjectKeyDigestOf(subjectKey), source: 'imported' as const };
  const streamId = subjectStreamId(subject.provinceCode, data.subjectKeyDigest);
  const { envelope } = sealRegistryEvent(
    streamId,
    EMPTY_REGISTRY_STREAM,
    { type: 'SubjectRegistered', data },
    {
      occurredAt: '2026-01-05T02:00:00.000Z',
      recordedBy: { role: 'admin', id: 'test-import' },
      causationId: `import:${subject.subjectNumber}`,
    },
  );
  await eventLog.appendToStream(streamId, [envelope], { expectedRevision: 'no_stream' });
}

/** The subject of the `valid-existing-subject` form fixture, as the registry holds it. */
export const EXISTING_SUBJECT_OF_FIXTURE: ImportedSubject = {
  subjectKey: 'uscc:91310104MA1FR6TQ4G',
  provinceCode: '310000',
  subjectNumber: '沪ICP备2021012345号',
  operatorName: '上海示例教育科技有限公司',
  operatorNature: 'enterprise',
  certificateType: 'uscc',
};
