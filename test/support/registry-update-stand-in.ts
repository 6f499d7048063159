import type {
  RegistryUpdateOutcome,
  RegistryUpdateRequest,
} from '../../activities/registry-updates/registry-update-request';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import {
  registryStreamHead,
  sealRegistryEvent,
  type RegistryStreamHead,
} from '../../events/registry/registry-envelope';
import type { RegistryEvent, ServiceLifeEvent } from '../../events/registry/registry-events';
import { serviceStreamId, subjectKeyDigestOf, subjectStreamId } from '../../events/registry/registry-streams';
import { foldSubject } from '../../events/registry/subject';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { serviceOnRecord } from '../../services/registrations/registered-version';

/**
 * For tests, until the registry's own `applyFilingToRegistry` (activities/registry-updates/) is on
 * this branch: the same contract, writing the same registry life events to the real event log
 * (sealed, at the expected revision, idempotent per filing), with none of the registry's other duties
 * (identifier releases, subject events, the shell-subject flag). Tests prefer the worker's own
 * activity whenever `createActivities` provides one.
 */
export function registryUpdateStandIn(eventLog: EventLog) {
  async function appendOnce(serviceNumber: string, filingId: string, event: ServiceLifeEvent, at: string) {
    const streamId = serviceStreamId(serviceNumber);
    const events = await eventLog.readStream(streamId);
    if (events.some((e) => (e.data as { filingId?: string } | null)?.filingId === filingId && e.revision > 0))
      return;
    const head: RegistryStreamHead = registryStreamHead(events);
    const { envelope } = sealRegistryEvent(streamId, head, event as unknown as RegistryEvent, {
      occurredAt: at,
      recordedBy: { role: 'system', id: 'registry-update-stand-in' },
      causationId: filingId,
    });
    await eventLog.appendToStream(streamId, [envelope], { expectedRevision: head.revision });
  }

  /** A subject cancellation: every service number the subject's stream holds. */
  async function subjectServiceNumbers(request: RegistryUpdateRequest): Promise<string[]> {
    const streamId = subjectStreamId(request.provinceCode, subjectKeyDigestOf(request.subjectKey));
    const subject = foldSubject(await eventLog.readStream(streamId));
    return subject.status === 'registered' ? subject.services.map((service) => service.number) : [];
  }

  /** ServiceRegistered is version 1; the first change makes version 2. */
  const versionOf = (events: readonly RecordedEvent[]) =>
    2 + events.filter((event) => event.type === 'ServiceChanged').length;

  return {
    async applyFilingToRegistry(request: RegistryUpdateRequest): Promise<RegistryUpdateOutcome> {
      const { filingId, kind, target, at } = request;
      const on = chinaDateOfEpochMs(Date.parse(at));
      const serviceNumbers = target.serviceNumber
        ? [target.serviceNumber]
        : await subjectServiceNumbers(request);
      const touched: string[] = [];
      for (const serviceNumber of serviceNumbers) {
        const events = await eventLog.readStream(serviceStreamId(serviceNumber));
        const service = serviceOnRecord(events);
        const mine = events.some((e) => (e.data as { filingId?: string } | null)?.filingId === filingId);
        // A subject cancellation leaves the services cancelled before it as they are.
        if (service?.status === 'cancelled' && !mine && !target.serviceNumber) continue;
        if (!service || (service.status === 'cancelled' && !mine)) {
          return {
            refused: { refusal: 'registry_changed', reasons: `${serviceNumber} is no longer active` },
          };
        }
        touched.push(serviceNumber);
        const event: ServiceLifeEvent =
          kind === 'change'
            ? {
                type: 'ServiceChanged',
                data: {
                  filingId,
                  version: versionOf(events),
                  changedOn: on,
                  name: request.service?.name ?? service.registered.name,
                  identifiers: request.service?.identifiers ?? service.registered.identifiers,
                  preApprovalCategories:
                    request.service?.preApprovalCategories ?? service.registered.preApprovalCategories,
                  operatorName: request.operator?.name ?? service.registered.operatorName,
                  operatorNature: request.operator?.nature ?? service.registered.operatorNature,
                },
              }
            : kind === 'new_access'
              ? {
                  type: 'ServiceAccessAdded',
                  data: { filingId, ispName: request.ispName ?? '', addedOn: on },
                }
              : {
                  type: 'ServiceCancelled',
                  data: { filingId, cancelledOn: on, scope: target.serviceNumber ? 'service' : 'subject' },
                };
        await appendOnce(serviceNumber, filingId, event, at);
      }
      if (touched.length === 0) {
        return {
          refused: { refusal: 'registry_changed', reasons: `${target.subjectNumber} has no active service` },
        };
      }
      return { subjectNumber: target.subjectNumber, serviceNumbers: touched };
    },
  };
}
