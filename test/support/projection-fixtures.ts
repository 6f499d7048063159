import { loadValidForm, type ValidFormFixture } from '../fixtures/forms/form-fixtures';
import type { RegistrationForm } from '../../events/form/registration-form';
import { validateRegistrationForm } from '../../events/form/validate-form';
import type { FilingEvent, FilingEventOf } from '../../events/filing/filing-events';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { ProjectableEvent } from '../../services/projections/projectable-event';

/** Fixtures shared by the projection tests: validated forms and events as the log would hand them over. */

export function validatedForm(name: ValidFormFixture = 'valid-app'): RegistrationForm {
  const result = validateRegistrationForm(loadValidForm(name), { submittedOn: '2026-11-30' });
  if (!result.ok) throw new Error(`${name} does not validate: ${JSON.stringify(result.errors)}`);
  return result.value;
}

export function submittedEvent(
  filingId: string,
  overrides: Partial<FilingEventOf<'FilingSubmitted'>['data']> = {},
): FilingEventOf<'FilingSubmitted'> {
  const form = overrides.form ?? validatedForm();
  return {
    type: 'FilingSubmitted',
    data: {
      filingId,
      platformId: 'wechat',
      province: '440000',
      serviceType: 'app',
      appName: '示例记账',
      form,
      ...overrides,
    },
  };
}

export const HISTORY_EPOCH = '2026-11-30T02:00:00.000Z';

export function minutesAfterEpoch(minutes: number): string {
  return new Date(Date.parse(HISTORY_EPOCH) + minutes * 60_000).toISOString();
}

/** A filing's history as recorded events: event n has seq n and happens n minutes after `startMinute`. */
export function recordedHistory(
  filingId: string,
  events: readonly FilingEvent[],
  startMinute = 0,
): ProjectableEvent[] {
  return events.map((event, seq) => ({
    streamId: filingStreamId(filingId),
    type: event.type,
    data: JSON.parse(JSON.stringify(event.data)),
    metadata: { filingId, seq, occurredAt: minutesAfterEpoch(startMinute + seq) },
  }));
}

/** Personal data of the valid form fixtures that no read model may contain. */
export function personalDataOf(form: Record<string, unknown>): string[] {
  const found: string[] = [];
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string' && /idNumber|mobile|email|emergencyContact/i.test(key)) found.push(value);
    else if (Array.isArray(value)) value.forEach((item) => visit(item, key));
    else if (typeof value === 'object' && value !== null) {
      for (const [childKey, child] of Object.entries(value)) visit(child, childKey);
    }
  };
  visit(form, '');
  return found;
}
