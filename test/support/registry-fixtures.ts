import type { EventToAppend, Json } from '../../events/ports/event-log.port';
import type {
  IdentifierReleasedEvent,
  ServiceLifeEvent,
  ServiceRegisteredData,
  SubjectLifeEvent,
  SubjectRegisteredData,
} from '../../events/registry/registry-events';
import { subjectStreamId } from '../../events/registry/registry-streams';
import type { ProjectableEvent } from '../../services/projections/projectable-event';

/** Registry events as the allocator or an import writes them, for projection and lookup tests. */

export const SUBJECT_KEY_DIGEST = 'a'.repeat(64);

export function serviceRegistered(overrides: Partial<ServiceRegisteredData> = {}): ServiceRegisteredData {
  return {
    serviceNumber: '粤ICP备2026000001号-1A',
    subjectNumber: '粤ICP备2026000001号',
    serviceType: 'app',
    name: '示例地图',
    identifiers: {
      packages: [{ os: 'android', packageName: 'com.example.maps', signatureMd5: 'a'.repeat(32) }],
      bundles: [{ bundleId: 'com.example.maps.ios', signatureSha1: 'b'.repeat(40) }],
      domains: ['maps.example.com'],
    },
    preApprovalCategories: ['news'],
    approvedOn: '2026-12-01',
    operatorName: '广州示例地图有限公司',
    operatorNature: 'enterprise',
    filingId: 'f-maps',
    source: 'filing',
    ...overrides,
  };
}

export function subjectRegistered(overrides: Partial<SubjectRegisteredData> = {}): SubjectRegisteredData {
  return {
    subjectKeyDigest: SUBJECT_KEY_DIGEST,
    provinceCode: '440000',
    subjectNumber: '粤ICP备2026000001号',
    source: 'allocated',
    operatorName: '广州示例地图有限公司',
    operatorNature: 'enterprise',
    certificateType: 'uscc',
    ...overrides,
  };
}

/** The stream of the fixtures' subject (`SUBJECT_KEY_DIGEST`) in a province. */
export function subjectStreamIdOf(provinceCode: string): string {
  return subjectStreamId(provinceCode, SUBJECT_KEY_DIGEST);
}

type LifeEvent = ServiceLifeEvent | SubjectLifeEvent | IdentifierReleasedEvent;
type RegistryRecordedType = 'ServiceRegistered' | 'SubjectRegistered' | LifeEvent['type'];
type RegistryLifeData = LifeEvent['data'];

/** The event as a projection is handed it (metadata as an unsealed registry event carries it). */
export function registryRecorded(
  streamId: string,
  type: RegistryRecordedType,
  data: ServiceRegisteredData | SubjectRegisteredData | RegistryLifeData,
): ProjectableEvent {
  return { streamId, type, data: data as unknown as Json, metadata: { schemaVersion: 1 } };
}

export function toAppend(recorded: ProjectableEvent, id: string): EventToAppend {
  return { id, type: recorded.type, data: recorded.data, metadata: recorded.metadata };
}
