import type { FilingEventOf } from '../../events/filing/filing-events';
import { isProvinceCode, type ProvinceCode } from '../../events/provinces';
import { parseRegistrationNumber } from '../../events/registration-number';
import type {
  RegistryFilingRow,
  RegistryRowReader,
  RegistryServiceRow,
  RegistrySubjectRow,
  RegistryUpdate,
} from '../../events/ports/read-models.port';
import {
  CorruptRegistryStreamError,
  decodeServiceEvent,
  decodeSubjectEvent,
  type ServiceRegisteredData,
  type SubjectRegisteredData,
} from '../../events/registry/registry-events';
import { SERVICE_STREAM_PREFIX, SUBJECT_STREAM_PREFIX } from '../../events/registry/registry-streams';
import { preApprovalCategoriesOf, serviceIdentifiersOf } from '../../events/registry/service-identifiers';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { type ProjectableEvent, ProjectionError, readFilingEvent } from './projectable-event';

/**
 * The registry read model: subjects and their services. A service's public record is its
 * `ServiceRegistered`; numbers issued by filings before the registry kept services are derived from
 * the filing (its form's public parts, then its publication). A number known from both is one row,
 * and the registry stream's wins whichever comes first in the log. Pure: reads rows, returns rows.
 */
export function projectRegistry(
  rows: RegistryRowReader,
  recorded: ProjectableEvent,
): RegistryUpdate | undefined {
  if (recorded.streamId.startsWith(SERVICE_STREAM_PREFIX)) {
    return recorded.type === 'ServiceRegistered' ? serviceRegistered(rows, recorded) : undefined;
  }
  if (recorded.streamId.startsWith(SUBJECT_STREAM_PREFIX)) {
    return recorded.type === 'SubjectRegistered' ? subjectRegistered(rows, recorded) : undefined;
  }
  return fromFiling(rows, recorded);
}

function serviceRegistered(rows: RegistryRowReader, recorded: ProjectableEvent): RegistryUpdate {
  const data = decodeServiceRegistered(recorded);
  const service: RegistryServiceRow = {
    serviceNumber: data.serviceNumber,
    subjectNumber: data.subjectNumber,
    sequence: sequenceOf(data.serviceNumber, recorded),
    serviceType: data.serviceType,
    name: data.name,
    operatorName: data.operatorName,
    operatorNature: data.operatorNature,
    identifiers: data.identifiers,
    preApprovalCategories: data.preApprovalCategories,
    approvedOn: data.approvedOn,
    status: 'active',
    source: 'registry',
  };
  if (data.filingId !== undefined) service.filingId = data.filingId;
  const province = provinceOf(data.subjectNumber, recorded);
  return { service, subject: subjectHolding(rows, service, province) };
}

function subjectRegistered(rows: RegistryRowReader, recorded: ProjectableEvent): RegistryUpdate {
  const data = decodeSubjectRegistered(recorded);
  const current = rows.subject(data.subjectNumber);
  const subject: RegistrySubjectRow = {
    subjectNumber: data.subjectNumber,
    province: data.province,
    status: 'active',
    source: 'registry',
  };
  const operatorName = data.operatorName ?? current?.operatorName;
  const operatorNature = data.operatorNature ?? current?.operatorNature;
  if (operatorName !== undefined) subject.operatorName = operatorName;
  if (operatorNature !== undefined) subject.operatorNature = operatorNature;
  return { subject };
}

/**
 * The subject row once `service` is known under it: created if missing; a subject the registry
 * registered keeps its own name and nature (filled in where it lacks them), a derived one takes the
 * newest service's.
 */
function subjectHolding(
  rows: RegistryRowReader,
  service: RegistryServiceRow,
  province: ProvinceCode,
): RegistrySubjectRow {
  const current = rows.subject(service.subjectNumber);
  const fillOnly = current?.source === 'registry';
  const subject: RegistrySubjectRow = current
    ? { ...current }
    : { subjectNumber: service.subjectNumber, province, status: 'active', source: service.source };
  if (!fillOnly || subject.operatorName === undefined) subject.operatorName = service.operatorName;
  if (service.operatorNature !== undefined && (!fillOnly || subject.operatorNature === undefined)) {
    subject.operatorNature = service.operatorNature;
  }
  return subject;
}

function fromFiling(rows: RegistryRowReader, recorded: ProjectableEvent): RegistryUpdate | undefined {
  const read = readFilingEvent(recorded);
  if (read === undefined) return undefined;
  const { event, filingId } = read;
  switch (event.type) {
    case 'FilingSubmitted':
      return { filing: { filingId, province: event.data.province, ...formFacts(event.data.form) } };
    case 'FilingCorrected': {
      const current = rows.filing(filingId);
      if (current === undefined)
        throw new ProjectionError(`${recorded.streamId}: corrected before submitted`);
      return { filing: { ...current, ...formFacts(event.data.form) } };
    }
    case 'RegistrationPublished':
      return published(rows, filingId, event, read.occurredAt, recorded);
    default:
      return undefined;
  }
}

type FilingForm = FilingEventOf<'FilingSubmitted'>['data']['form'];

function formFacts(form: FilingForm): Omit<RegistryFilingRow, 'filingId' | 'province'> {
  const facts: Omit<RegistryFilingRow, 'filingId' | 'province'> = {
    serviceType: form.serviceType,
    identifiers: serviceIdentifiersOf(form),
    preApprovalCategories: preApprovalCategoriesOf(form),
  };
  if (form.operator !== undefined) facts.operatorNature = form.operator.nature;
  return facts;
}

function published(
  rows: RegistryRowReader,
  filingId: string,
  event: FilingEventOf<'RegistrationPublished'>,
  occurredAt: string,
  recorded: ProjectableEvent,
): RegistryUpdate | undefined {
  const filing = rows.filing(filingId);
  if (filing === undefined) throw new ProjectionError(`${recorded.streamId}: published before submitted`);
  const { registrationNumber, appName, operatorName } = event.data;
  const parsed = parseRegistrationNumber(registrationNumber);
  if (!parsed.ok || parsed.number.service === undefined) {
    throw new ProjectionError(`${recorded.streamId}: ${registrationNumber} is not a service number`);
  }
  if (rows.service(registrationNumber)?.source === 'registry') return undefined;
  const service: RegistryServiceRow = {
    serviceNumber: registrationNumber,
    subjectNumber: parsed.number.subjectNumber,
    sequence: parsed.number.service.n,
    serviceType: filing.serviceType,
    name: appName,
    operatorName,
    identifiers: filing.identifiers,
    preApprovalCategories: filing.preApprovalCategories,
    approvedOn: chinaDateOfEpochMs(Date.parse(occurredAt)),
    status: 'active',
    filingId,
    source: 'filing',
  };
  if (filing.operatorNature !== undefined) service.operatorNature = filing.operatorNature;
  return { service, subject: subjectHolding(rows, service, event.data.province) };
}

function sequenceOf(serviceNumber: string, recorded: ProjectableEvent): number {
  const parsed = parseRegistrationNumber(serviceNumber);
  if (!parsed.ok || parsed.number.service === undefined) {
    throw new ProjectionError(
      `${recorded.streamId} ${recorded.type}: ${serviceNumber} is not a service number`,
    );
  }
  return parsed.number.service.n;
}

function provinceOf(subjectNumber: string, recorded: ProjectableEvent): ProvinceCode {
  const parsed = parseRegistrationNumber(subjectNumber);
  if (!parsed.ok) {
    throw new ProjectionError(
      `${recorded.streamId} ${recorded.type}: ${subjectNumber} is not a subject number`,
    );
  }
  return parsed.number.provinceCode;
}

/** The shared decoders' reading; a stream they cannot read stops the projector. */
function decoded<T>(recorded: ProjectableEvent, decode: (recorded: ProjectableEvent) => T): T {
  try {
    return decode(recorded);
  } catch (error) {
    if (error instanceof CorruptRegistryStreamError) throw new ProjectionError(error.message);
    throw error;
  }
}

function decodeServiceRegistered(recorded: ProjectableEvent): ServiceRegisteredData {
  const { type, data } = decoded(recorded, decodeServiceEvent);
  if (type !== 'ServiceRegistered')
    throw new ProjectionError(`${recorded.streamId}: ${type} is not ServiceRegistered`);
  return data;
}

function decodeSubjectRegistered(
  recorded: ProjectableEvent,
): SubjectRegisteredData & { province: ProvinceCode } {
  const { type, data } = decoded(recorded, decodeSubjectEvent);
  if (type !== 'SubjectRegistered')
    throw new ProjectionError(`${recorded.streamId}: ${type} is not SubjectRegistered`);
  const province = data.provinceCode;
  if (!isProvinceCode(province)) {
    throw new ProjectionError(`${recorded.streamId} ${recorded.type}: unknown provinceCode ${province}`);
  }
  return { ...data, province };
}
