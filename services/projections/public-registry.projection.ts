import type { ServiceType } from '../../events/form/registration-form';
import type { ProvinceCode } from '../../events/provinces';
import { type ProjectableEvent, readFilingEvent } from './projectable-event';

/** What anyone may look up about an issued registration: exactly what `RegistrationPublished` made public. */
export interface PublicRegistryRow {
  registrationNumber: string;
  appName: string;
  serviceType: ServiceType;
  operatorName: string;
  province: ProvinceCode;
  /** occurredAt of the publication. */
  publishedAt: string;
}

/** The public row `recorded` publishes, or undefined for every other event. Pure. */
export function projectPublicRegistry(recorded: ProjectableEvent): PublicRegistryRow | undefined {
  const read = readFilingEvent(recorded);
  if (read?.event.type !== 'RegistrationPublished') return undefined;
  const { registrationNumber, appName, serviceType, operatorName, province } = read.event.data;
  return { registrationNumber, appName, serviceType, operatorName, province, publishedAt: read.occurredAt };
}
