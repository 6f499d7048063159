import type { PublicRegistryRow } from '../../events/ports/read-models.port';
import { type ProjectableEvent, readFilingEvent } from './projectable-event';

/** The public row `recorded` publishes, or undefined for every other event. Pure. */
export function projectPublicRegistry(recorded: ProjectableEvent): PublicRegistryRow | undefined {
  const read = readFilingEvent(recorded);
  if (read?.event.type !== 'RegistrationPublished') return undefined;
  const { registrationNumber, appName, serviceType, operatorName, province } = read.event.data;
  return { registrationNumber, appName, serviceType, operatorName, province, publishedAt: read.occurredAt };
}
