import type { EventLog } from '../../../events/ports/event-log.port';
import type { RegistryEvent, ServiceRegisteredData } from '../../../events/registry/registry-events';
import {
  identifierStreamId,
  serviceStreamId,
  subjectKeyDigestOf,
  subjectSequenceStreamId,
  subjectStreamId,
} from '../../../events/registry/registry-streams';
import { ADMIN, appendSealed, appendUnsealed, SYSTEM } from './registry-streams';

/**
 * A small registry in Guangdong: subject A issued here with an app (-1A) and a mini program (-2X);
 * subject B imported with a licence-style number, its website (-1) and a new app (-2A); subject C
 * registered before registry events were sealed (unsealed SubjectRegistered) with one sealed service
 * number after it; the counter of 2026; one identifier claim.
 */

const PROVINCE = '440000';
export const SUBJECT_A = '粤ICP备2026000001号';
export const SUBJECT_B = '粤B2-20090059';
export const SUBJECT_C = '粤ICP备2026000002号';
const DIGEST_A = subjectKeyDigestOf('uscc:91440300MA5F000001');
const DIGEST_B = subjectKeyDigestOf('uscc:91440300MA5F000002');
const DIGEST_C = subjectKeyDigestOf('uscc:91440300MA5F000003');

export const REGISTRY_STREAMS = {
  counter: subjectSequenceStreamId(PROVINCE, 2026),
  subjectA: subjectStreamId(PROVINCE, DIGEST_A),
  subjectB: subjectStreamId(PROVINCE, DIGEST_B),
  subjectC: subjectStreamId(PROVINCE, DIGEST_C),
  serviceA1: serviceStreamId(`${SUBJECT_A}-1A`),
  serviceA2: serviceStreamId(`${SUBJECT_A}-2X`),
  serviceB1: serviceStreamId(`${SUBJECT_B}-1`),
  claim: identifierStreamId({ kind: 'package', packageName: 'com.example.app' }),
} as const;

const FILING_A1 = '0b6f3c1e-4d3a-4b5c-8e6f-0a1b2c3d4e51';
const FILING_A2 = '0b6f3c1e-4d3a-4b5c-8e6f-0a1b2c3d4e52';
const FILING_B2 = '0b6f3c1e-4d3a-4b5c-8e6f-0a1b2c3d4e53';
const FILING_C1 = '0b6f3c1e-4d3a-4b5c-8e6f-0a1b2c3d4e54';

const system = (event: RegistryEvent, causationId: string) => ({ event, recordedBy: SYSTEM, causationId });
const admin = (event: RegistryEvent) => ({ event, recordedBy: ADMIN, causationId: 'import-line-7' });

function serviceRegistered(
  data: Partial<ServiceRegisteredData> &
    Pick<ServiceRegisteredData, 'serviceNumber' | 'serviceType' | 'subjectNumber' | 'source'>,
): RegistryEvent {
  return {
    type: 'ServiceRegistered',
    data: {
      name: '示例服务',
      identifiers: { packages: [], bundles: [], domains: [] },
      preApprovalCategories: [],
      approvedOn: '2026-09-14',
      operatorName: '示例科技有限公司',
      operatorNature: 'enterprise',
      ...data,
    },
  };
}

export async function writeRegistry(eventLog: EventLog): Promise<void> {
  const { counter, subjectA, subjectB, subjectC, serviceA1, serviceA2, serviceB1, claim } = REGISTRY_STREAMS;
  await appendSealed(eventLog, counter, [
    system(
      {
        type: 'SubjectNumberAllocated',
        data: { subjectKeyDigest: DIGEST_A, sequence: 1, number: SUBJECT_A },
      },
      FILING_A1,
    ),
    system(
      {
        type: 'SubjectNumberAllocated',
        data: { subjectKeyDigest: DIGEST_C, sequence: 2, number: SUBJECT_C },
      },
      FILING_C1,
    ),
  ]);
  await appendSealed(eventLog, subjectA, [
    system(
      {
        type: 'SubjectRegistered',
        data: {
          subjectKeyDigest: DIGEST_A,
          provinceCode: PROVINCE,
          subjectNumber: SUBJECT_A,
          source: 'allocated',
          operatorName: '示例科技有限公司',
          operatorNature: 'enterprise',
          certificateType: 'uscc',
        },
      },
      FILING_A1,
    ),
    system(
      {
        type: 'ServiceNumberAllocated',
        data: { filingId: FILING_A1, serviceType: 'app', n: 1, number: `${SUBJECT_A}-1A` },
      },
      FILING_A1,
    ),
    system(
      {
        type: 'ServiceNumberAllocated',
        data: { filingId: FILING_A2, serviceType: 'mini_program', n: 2, number: `${SUBJECT_A}-2X` },
      },
      FILING_A2,
    ),
  ]);
  await appendSealed(eventLog, serviceA1, [
    system(
      serviceRegistered({
        serviceNumber: `${SUBJECT_A}-1A`,
        subjectNumber: SUBJECT_A,
        serviceType: 'app',
        filingId: FILING_A1,
        source: 'filing',
        identifiers: {
          packages: [{ os: 'android', packageName: 'com.example.app', signatureMd5: 'a'.repeat(32) }],
          bundles: [],
          domains: ['example.com'],
        },
      }),
      FILING_A1,
    ),
  ]);
  await appendSealed(eventLog, serviceA2, [
    system(
      serviceRegistered({
        serviceNumber: `${SUBJECT_A}-2X`,
        subjectNumber: SUBJECT_A,
        serviceType: 'mini_program',
        filingId: FILING_A2,
        source: 'filing',
        identifiers: {
          packages: [],
          bundles: [],
          miniProgram: { miniProgramId: 'wx0123456789abcdef', hostApp: 'wechat' },
          domains: [],
        },
      }),
      FILING_A2,
    ),
  ]);
  await appendSealed(eventLog, subjectB, [
    admin({
      type: 'SubjectRegistered',
      data: {
        subjectKeyDigest: DIGEST_B,
        provinceCode: PROVINCE,
        subjectNumber: SUBJECT_B,
        source: 'imported',
        operatorName: '示例网络有限公司',
        operatorNature: 'enterprise',
        certificateType: 'uscc',
      },
    }),
    admin({
      type: 'ExistingServiceRecorded',
      data: { serviceType: 'website', n: 1, number: `${SUBJECT_B}-1`, importLineId: 'import-line-7' },
    }),
    system(
      {
        type: 'ServiceNumberAllocated',
        data: { filingId: FILING_B2, serviceType: 'app', n: 2, number: `${SUBJECT_B}-2A` },
      },
      FILING_B2,
    ),
  ]);
  await appendSealed(eventLog, serviceB1, [
    admin(
      serviceRegistered({
        serviceNumber: `${SUBJECT_B}-1`,
        subjectNumber: SUBJECT_B,
        serviceType: 'website',
        source: 'imported',
        operatorName: '示例网络有限公司',
        identifiers: { packages: [], bundles: [], domains: ['example.net'] },
      }),
    ),
  ]);
  await appendUnsealed(
    eventLog,
    subjectC,
    [
      {
        type: 'SubjectRegistered',
        data: {
          subjectKeyDigest: DIGEST_C,
          provinceCode: PROVINCE,
          subjectNumber: SUBJECT_C,
          source: 'allocated',
        },
      },
    ],
    FILING_C1,
  );
  await appendSealed(eventLog, subjectC, [
    system(
      {
        type: 'ServiceNumberAllocated',
        data: { filingId: FILING_C1, serviceType: 'app', n: 1, number: `${SUBJECT_C}-1A` },
      },
      FILING_C1,
    ),
  ]);
  await appendSealed(eventLog, claim, [
    system({ type: 'ServiceIdentifierClaimed', data: { filingId: FILING_A1 } }, FILING_A1),
  ]);
}
