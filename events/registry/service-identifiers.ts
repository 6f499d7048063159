import { NO_PRE_APPROVALS, type RegistrationForm, type RegulatedCategory } from '../form/registration-form';
import type { ServiceIdentifiers } from './registry-events';

/**
 * What third parties will recognise the filed service by, in the form the registry keeps: package
 * names and bundle ids as given, fingerprints and domains lower-case.
 */
export function serviceIdentifiersOf(form: RegistrationForm): ServiceIdentifiers {
  const domains = form.app.domains.map((domain) => domain.toLowerCase());
  switch (form.serviceType) {
    case 'app': {
      const identifiers: ServiceIdentifiers = { packages: [], bundles: [], domains };
      for (const platform of form.app.platforms) {
        if (platform.os === 'ios') {
          identifiers.bundles.push({
            bundleId: platform.bundleId,
            signatureSha1: platform.signatureSha1.toLowerCase(),
          });
        } else {
          identifiers.packages.push({
            os: platform.os,
            packageName: platform.packageName,
            signatureMd5: platform.signatureMd5.toLowerCase(),
          });
        }
      }
      return identifiers;
    }
    case 'mini_program':
      return {
        packages: [],
        bundles: [],
        miniProgram: { miniProgramId: form.app.miniProgramId, hostApp: form.app.hostApp },
        domains,
      };
    case 'quick_app':
      return { packages: [], bundles: [], quickAppPackage: form.app.quickAppPackage, domains };
  }
}

/** The regulated categories the service was approved for (none: an empty list). */
export function preApprovalCategoriesOf(form: RegistrationForm): RegulatedCategory[] {
  const preApprovals = form.app.preApprovals;
  return preApprovals === NO_PRE_APPROVALS ? [] : preApprovals.map((approval) => approval.category);
}
