import { assertNever } from '../../events/assert-never';
import type { FilingEventOf } from '../../events/filing/filing-events';
import type {
  PublicRegistryFilingRow,
  PublicRegistryRow,
  PublicRegistryRowReader,
  PublicRegistryUpdate,
} from '../../events/ports/read-models.port';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import {
  type FilingEventInStream,
  type ProjectableEvent,
  ProjectionError,
  readFilingEvent,
} from './projectable-event';

type Published = FilingEventOf<'RegistrationPublished'>['data'];

/**
 * The public registry: a new registration's publication makes its record; the publication of a
 * change renames it (and, when the change altered the subject, the operator on each of the subject's
 * records), a cancellation's marks it (or every record of the subject) cancelled, a new access's
 * changes nothing public. The kind comes from the filing's `FilingSubmitted`, kept until then. Pure.
 */
export function projectPublicRegistry(
  rows: PublicRegistryRowReader,
  recorded: ProjectableEvent,
): PublicRegistryUpdate | undefined {
  const read = readFilingEvent(recorded);
  if (read === undefined) return undefined;
  switch (read.event.type) {
    case 'FilingSubmitted':
      return submitted(read.filingId, read.event);
    case 'RegistrationPublished':
      return published(rows, read, read.event.data);
    default:
      return undefined;
  }
}

function submitted(
  filingId: string,
  event: FilingEventOf<'FilingSubmitted'>,
): PublicRegistryUpdate | undefined {
  const { kind, target } = event.data;
  if (kind === undefined) return undefined;
  // Its publication would otherwise read as a new registration's (under a subject number, say).
  if (target === undefined) throw new ProjectionError(`filing ${filingId}: a ${kind} without its target`);
  const filing: PublicRegistryFilingRow = {
    filingId,
    kind,
    subjectNumber: target.subjectNumber,
    altersSubject: target.alters?.subject ?? false,
  };
  if (target.serviceNumber !== undefined) filing.serviceNumber = target.serviceNumber;
  return { filing };
}

function published(
  rows: PublicRegistryRowReader,
  read: FilingEventInStream,
  data: Published,
): PublicRegistryUpdate | undefined {
  const filing = rows.filing(read.filingId);
  if (filing === undefined) return { registrations: [newRecord(data, read.occurredAt)] };
  switch (filing.kind) {
    case 'change':
      return { registrations: changed(rows, filing, data, read.occurredAt) };
    case 'cancellation':
      return { registrations: cancelled(rows, filing, data, read.occurredAt) };
    case 'new_access':
      return undefined;
    default:
      return assertNever(filing.kind, 'filing kind');
  }
}

function newRecord(data: Published, occurredAt: string): PublicRegistryRow {
  const { registrationNumber, appName, serviceType, operatorName, province } = data;
  return {
    registrationNumber,
    appName,
    serviceType,
    operatorName,
    province,
    publishedAt: occurredAt,
    status: 'active',
  };
}

/**
 * The changed service's record takes the new name, type and operator; a service never published here
 * (imported) gets its record now. A change of the subject renames the operator on its other records;
 * a change of the subject alone (no service number) only that.
 */
function changed(
  rows: PublicRegistryRowReader,
  filing: PublicRegistryFilingRow,
  data: Published,
  occurredAt: string,
): PublicRegistryRow[] {
  const { operatorName } = data;
  const number = filing.serviceNumber;
  if (number === undefined) {
    return rows
      .registrationsOf(filing.subjectNumber)
      .filter((record) => record.status === 'active')
      .map((record) => ({ ...record, operatorName }));
  }
  const current = rows.registration(number) ?? { ...newRecord(data, occurredAt), registrationNumber: number };
  const { appName, serviceType } = data;
  const record = { ...current, appName, serviceType, operatorName, changedAt: occurredAt };
  if (!filing.altersSubject) return [record];
  const others = rows
    .registrationsOf(filing.subjectNumber)
    .filter((other) => other.registrationNumber !== number && other.status === 'active')
    .map((other) => ({ ...other, operatorName }));
  return [record, ...others];
}

/** The service's record, or (a subject's cancellation) every record of the subject, cancelled that day. */
function cancelled(
  rows: PublicRegistryRowReader,
  filing: PublicRegistryFilingRow,
  data: Published,
  occurredAt: string,
): PublicRegistryRow[] {
  const cancelledOn = chinaDateOfEpochMs(Date.parse(occurredAt));
  const cancel = (record: PublicRegistryRow): PublicRegistryRow => ({
    ...record,
    status: 'cancelled',
    cancelledOn,
  });
  if (filing.serviceNumber === undefined) {
    return rows
      .registrationsOf(filing.subjectNumber)
      .filter((record) => record.status === 'active')
      .map(cancel);
  }
  const current = rows.registration(filing.serviceNumber);
  return [cancel(current ?? { ...newRecord(data, occurredAt), registrationNumber: filing.serviceNumber })];
}
