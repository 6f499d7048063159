export type { RegistryUpdateOutcome, RegistryUpdateRequest } from './registry-update-request';
export {
  type AccessWithdrawalOutcome,
  type AccessWithdrawalRequest,
  REGISTRY_UPDATER,
  type RegistryUpdater,
  type RegistryUpdaterDeps,
  createRegistryUpdater,
} from './registry-updater';
export {
  type RegistryUpdateActivityDeps,
  createRegistryUpdateActivities,
} from './registry-update.activities';
export {
  RegistryUpdateRequestError,
  type ValidRegistryUpdateRequest,
  validRegistryUpdateRequest,
} from './valid-update-request';
