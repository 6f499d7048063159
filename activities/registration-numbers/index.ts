export { RegistrationNumberRefusedError, type RegistrationNumberRefusal } from './allocation-errors';
export type { RegistrationNumberRequest } from './allocation-request';
export {
  type AllocatedRegistrationNumber,
  type RegistrationNumberAllocator,
  type RegistrationNumberAllocatorDeps,
  createRegistrationNumberAllocator,
} from './allocator';
export { RegistryContentionError } from './contention-retry';
export { CorruptRegistryStreamError } from '../../events/registry/registry-events';
export {
  SUBJECT_SEQUENCE_STREAM_PREFIX,
  SUBJECT_STREAM_PREFIX,
  normalizeSubjectKey,
  subjectKeyDigestOf,
  subjectSequenceStreamId,
  subjectStreamId,
} from '../../events/registry/registry-streams';
