import { ApplicationFailure } from '@temporalio/activity';
import type { RegistryUpdateOutcome, RegistryUpdateRequest } from './registry-update-request';
import type { RegistryUpdater } from './registry-updater';
import { RegistryUpdateRequestError } from './valid-update-request';

export interface RegistryUpdateActivityDeps {
  updater: RegistryUpdater;
}

export function createRegistryUpdateActivities(deps: RegistryUpdateActivityDeps) {
  return {
    /**
     * After `bureau_approved` of a change, cancellation or new access: the registry's events for it
     * (idempotent per filingId). A registry that no longer allows it answers `refused` (the workflow
     * records RegistrationNumberRefused with refusal `registry_changed`); a request that cannot be read
     * fails without retry.
     */
    async applyFilingToRegistry(request: RegistryUpdateRequest): Promise<RegistryUpdateOutcome> {
      try {
        return await deps.updater.apply(request);
      } catch (error) {
        if (error instanceof RegistryUpdateRequestError) {
          throw ApplicationFailure.nonRetryable(error.message, 'registry_update_invalid');
        }
        throw error;
      }
    },
  };
}
