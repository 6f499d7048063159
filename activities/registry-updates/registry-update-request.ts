import type { FilingTarget, RegistrationFilingKind } from '../../events/filing/filing-kind';
import type { OperatorNature } from '../../events/form/registration-form';
import type { ProvinceCode } from '../../events/provinces';
import type { FiledService } from '../registration-numbers/allocation-request';

/**
 * What the workflow asks of the registry once the bureau approved a change, cancellation or new
 * access: the input of `applyFilingToRegistry`. Arrives as JSON; the activity checks every field.
 */
export interface RegistryUpdateRequest {
  filingId: string;
  kind: RegistrationFilingKind;
  target: FilingTarget;
  provinceCode: ProvinceCode;
  /** `uscc:<USCC>` or `id:<resident ID>` (`subjectKeyOf`): names the subject stream; never stored. */
  subjectKey: string;
  /** Workflow time of the approval being applied: the registry events' date. */
  at: string;
  /** A change: the service's public facts as the filing's form gives them. */
  service?: FiledService;
  /** A change: the form's operator section (a subject change when it differs from the registry's). */
  operator?: { name: string; nature: OperatorNature };
  /** A new access (and a change that moves ISP): the form's `access.ispName`. */
  ispName?: string;
}

/** Applied (the service numbers it touched), or refused because the registry no longer allows it. */
export type RegistryUpdateOutcome =
  | { subjectNumber: string; serviceNumbers: string[] }
  | { refused: { refusal: 'registry_changed'; reasons: string } };
