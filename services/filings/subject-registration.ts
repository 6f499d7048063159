import type { RegistrationForm } from '../../events/form/registration-form';
import type { EventLog } from '../../events/ports/event-log.port';
import {
  SUBJECT_NUMBER_NOT_REGISTERED,
  claimedSubjectStreamId,
  subjectClaimRefusal,
} from '../../events/registry/subject-claim';
import { foldSubject } from '../../events/registry/subject';
import { ProblemException, problemType } from '../http/problem-details';

/**
 * A form naming `existingSubjectNumber` is filed under that subject only if the registry holds it
 * under the certificate the form carries: refused with 409 before anything is written or started.
 */
export async function assertSubjectRegistered(eventLog: EventLog, form: RegistrationForm): Promise<void> {
  const streamId = claimedSubjectStreamId(form);
  if (streamId === undefined) return;
  const refusal = subjectClaimRefusal(form, foldSubject(await eventLog.readStream(streamId)));
  if (refusal === undefined) return;
  throw new ProblemException({
    type: problemType('subject-not-registered'),
    title: 'Subject number not registered',
    status: 409,
    detail: `${refusal}; nothing was started`,
    errors: [{ path: 'existingSubjectNumber', rule: SUBJECT_NUMBER_NOT_REGISTERED, message: refusal }],
  });
}
