import type { FilingEventOf } from '../../events/filing/filing-events';
import { isProvinceCode, type ProvinceCode } from '../../events/provinces';
import { parseRegistrationNumber } from '../../events/registration-number';
import { assertNever } from '../../events/assert-never';
import type {
  RegistryFilingRow,
  RegistryRowReader,
  RegistryServiceRow,
  RegistryServiceStatus,
  RegistryServiceVersionRow,
  RegistrySubjectRow,
  RegistryUpdate,
} from '../../events/ports/read-models.port';
import {
  CorruptRegistryStreamError,
  decodeServiceEvent,
  decodeSubjectEvent,
  type ServiceLifeEvent,
  type ServiceRegisteredData,
  type SubjectLifeEvent,
  type SubjectRegisteredData,
} from '../../events/registry/registry-events';
import { SERVICE_STREAM_PREFIX, SUBJECT_STREAM_PREFIX } from '../../events/registry/registry-streams';
import { preApprovalCategoriesOf, serviceIdentifiersOf } from '../../events/registry/service-identifiers';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { type ProjectableEvent, ProjectionError, readFilingEvent } from './projectable-event';

const SERVICE_LIFE_TYPES: readonly string[] = [
  'ServiceChanged',
  'ServiceAccessAdded',
  'ServiceAccessWithdrawn',
  'ServiceCancelled',
] satisfies ServiceLifeEvent['type'][];
const SUBJECT_LIFE_TYPES: readonly string[] = [
  'SubjectChanged',
  'SubjectCancelled',
  'SubjectLeftWithoutServices',
] satisfies SubjectLifeEvent['type'][];
const isServiceLifeType = (type: string) => SERVICE_LIFE_TYPES.includes(type);
const isSubjectLifeType = (type: string) => SUBJECT_LIFE_TYPES.includes(type);

/**
 * The registry read model: subjects and their services. A service's public record is its
 * `ServiceRegistered`; numbers issued by filings before the registry kept services are derived from
 * the filing (its form's public parts, then its publication). A number known from both is one row,
 * and the registry stream's wins whichever comes first in the log. Then the services' and subjects'
 * life: changes (each version kept), accesses, cancellations and the shell-subject flag. Pure: reads
 * rows, returns rows.
 */
export function projectRegistry(
  rows: RegistryRowReader,
  recorded: ProjectableEvent,
): RegistryUpdate | undefined {
  if (recorded.streamId.startsWith(SERVICE_STREAM_PREFIX)) {
    if (recorded.type === 'ServiceRegistered') return serviceRegistered(rows, recorded);
    return isServiceLifeType(recorded.type) ? serviceLife(rows, recorded) : undefined;
  }
  if (recorded.streamId.startsWith(SUBJECT_STREAM_PREFIX)) {
    if (recorded.type === 'SubjectRegistered') return subjectRegistered(rows, recorded);
    return isSubjectLifeType(recorded.type) ? subjectLife(rows, recorded) : undefined;
  }
  return fromFiling(rows, recorded);
}

/** Active with an access, or with accesses unknown (registered before they were kept); none left: withdrawn. */
function accessStatus(accesses: readonly string[] | undefined): RegistryServiceStatus {
  return accesses !== undefined && accesses.length === 0 ? 'access_withdrawn' : 'active';
}

function serviceRegistered(rows: RegistryRowReader, recorded: ProjectableEvent): RegistryUpdate {
  const data = decodeServiceRegistered(recorded);
  const accesses = data.accesses?.map((access) => access.ispName);
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
    status: accessStatus(accesses),
    version: 1,
    source: 'registry',
  };
  if (accesses !== undefined) service.accesses = [...new Set(accesses)];
  if (data.filingId !== undefined) service.filingId = data.filingId;
  const province = provinceOf(data.subjectNumber, recorded);
  return {
    service,
    subject: subjectHolding(rows, service, province, { newService: true }),
    version: firstVersionOf(service),
  };
}

function firstVersionOf(service: RegistryServiceRow): RegistryServiceVersionRow {
  const version: RegistryServiceVersionRow = {
    serviceNumber: service.serviceNumber,
    version: 1,
    name: service.name,
    identifiers: service.identifiers,
    preApprovalCategories: service.preApprovalCategories,
    operatorName: service.operatorName,
    approvedOn: service.approvedOn,
  };
  if (service.filingId !== undefined) version.filingId = service.filingId;
  return version;
}

/** A change, an access added or withdrawn, a cancellation: on the service's row as it stands. */
function serviceLife(rows: RegistryRowReader, recorded: ProjectableEvent): RegistryUpdate {
  const serviceNumber = recorded.streamId.slice(SERVICE_STREAM_PREFIX.length);
  const current = rows.service(serviceNumber);
  if (current === undefined) {
    throw new ProjectionError(`${recorded.streamId}: ${recorded.type} before ServiceRegistered`);
  }
  if (current.status === 'cancelled') {
    throw new ProjectionError(`${recorded.streamId}: ${recorded.type} after ServiceCancelled`);
  }
  const event = decodedServiceLife(recorded);
  switch (event.type) {
    case 'ServiceChanged':
      return serviceChanged(rows, current, event.data, recorded);
    case 'ServiceAccessAdded': {
      // Accesses unknown (registered before they were kept) stay unknown, as the service decider folds them.
      if (current.accesses === undefined) return { service: { ...current, status: 'active' } };
      const accesses = [...new Set([...current.accesses, event.data.ispName])];
      return { service: { ...current, accesses, status: 'active' } };
    }
    case 'ServiceAccessWithdrawn': {
      const service = { ...current, accessWithdrawnOn: event.data.withdrawnOn };
      if (current.accesses !== undefined) {
        service.accesses = current.accesses.filter((isp) => isp !== event.data.ispName);
      }
      return { service: { ...service, status: accessStatus(service.accesses) } };
    }
    case 'ServiceCancelled':
      return { service: { ...current, status: 'cancelled', cancelledOn: event.data.cancelledOn } };
    default:
      return assertNever(event, 'service life event');
  }
}

function serviceChanged(
  rows: RegistryRowReader,
  current: RegistryServiceRow,
  data: Extract<ServiceLifeEvent, { type: 'ServiceChanged' }>['data'],
  recorded: ProjectableEvent,
): RegistryUpdate {
  if (data.version <= current.version) {
    throw new ProjectionError(
      `${recorded.streamId}: ServiceChanged version ${data.version} after version ${current.version}`,
    );
  }
  const service: RegistryServiceRow = {
    ...current,
    name: data.name,
    identifiers: data.identifiers,
    preApprovalCategories: data.preApprovalCategories,
    operatorName: data.operatorName,
    operatorNature: data.operatorNature,
    version: data.version,
    changedOn: data.changedOn,
    filingId: data.filingId,
  };
  const version: RegistryServiceVersionRow = {
    serviceNumber: service.serviceNumber,
    version: data.version,
    name: data.name,
    identifiers: data.identifiers,
    preApprovalCategories: data.preApprovalCategories,
    operatorName: data.operatorName,
    filingId: data.filingId,
    changedOn: data.changedOn,
  };
  const province = provinceOf(service.subjectNumber, recorded);
  return { service, version, subject: subjectHolding(rows, service, province, { newService: false }) };
}

/** A subject's change, cancellation or shell flag, on the row its stream registered. */
function subjectLife(rows: RegistryRowReader, recorded: ProjectableEvent): RegistryUpdate {
  const current = rows.subjectOfStream(recorded.streamId);
  if (current === undefined) {
    throw new ProjectionError(`${recorded.streamId}: ${recorded.type} before SubjectRegistered`);
  }
  const event = decodedSubjectLife(recorded);
  switch (event.type) {
    case 'SubjectChanged': {
      const { operatorName, operatorNature, changedOn } = event.data;
      const subject = { ...current, operatorName, operatorNature, changedOn };
      // The operator's name shows on each service: the ones still registered take the new one.
      const services = rows
        .servicesOf(current.subjectNumber)
        .filter((service) => service.status !== 'cancelled')
        .map((service) => ({ ...service, operatorName, operatorNature }));
      return { subject, services };
    }
    case 'SubjectCancelled': {
      const subject: RegistrySubjectRow = {
        ...current,
        status: 'cancelled',
        cancelledOn: event.data.cancelledOn,
      };
      delete subject.shell;
      return { subject };
    }
    case 'SubjectLeftWithoutServices': {
      const { flaggedOn, lastServiceNumber } = event.data;
      return { subject: { ...current, shell: { flaggedOn, lastServiceNumber } } };
    }
    default:
      return assertNever(event, 'subject life event');
  }
}

function subjectRegistered(rows: RegistryRowReader, recorded: ProjectableEvent): RegistryUpdate {
  const data = decodeSubjectRegistered(recorded);
  const current = rows.subject(data.subjectNumber);
  const subject: RegistrySubjectRow = {
    subjectNumber: data.subjectNumber,
    province: data.province,
    status: 'active',
    source: 'registry',
    streamId: recorded.streamId,
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
 * newest service's. A new service ends a shell subject's flag.
 */
function subjectHolding(
  rows: RegistryRowReader,
  service: RegistryServiceRow,
  province: ProvinceCode,
  { newService }: { newService: boolean },
): RegistrySubjectRow {
  const current = rows.subject(service.subjectNumber);
  const fillOnly = current?.source === 'registry';
  const subject: RegistrySubjectRow = current
    ? { ...current }
    : { subjectNumber: service.subjectNumber, province, status: 'active', source: service.source };
  if (newService) delete subject.shell;
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
    case 'FilingSubmitted': {
      const filing: RegistryFilingRow = {
        filingId,
        province: event.data.province,
        ...formFacts(event.data.form),
      };
      if (event.data.kind !== undefined) filing.kind = event.data.kind;
      return { filing };
    }
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
  // A change, cancellation or new access publishes what the registry streams already hold.
  if (filing.kind !== undefined) return undefined;
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
    version: 1,
    filingId,
    source: 'filing',
  };
  if (filing.operatorNature !== undefined) service.operatorNature = filing.operatorNature;
  return {
    service,
    subject: subjectHolding(rows, service, event.data.province, { newService: true }),
    version: firstVersionOf(service),
  };
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

function decodedServiceLife(recorded: ProjectableEvent): ServiceLifeEvent {
  const event = decoded(recorded, decodeServiceEvent);
  if (event.type === 'ServiceRegistered')
    throw new ProjectionError(`${recorded.streamId}: ServiceRegistered after the service was registered`);
  return event;
}

function decodedSubjectLife(recorded: ProjectableEvent): SubjectLifeEvent {
  const event = decoded(recorded, decodeSubjectEvent);
  switch (event.type) {
    case 'SubjectChanged':
    case 'SubjectCancelled':
    case 'SubjectLeftWithoutServices':
      return event;
    default:
      throw new ProjectionError(`${recorded.streamId}: ${event.type} is not a subject life event`);
  }
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
