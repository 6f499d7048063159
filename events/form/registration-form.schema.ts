import { assertNever } from '../assert-never';
import { isProvinceCode } from '../provinces';
import { subjectNumberFindings } from './checks/place-checks';
import { SERVICE_TYPES, type ServiceType } from './registration-form';
import { subjectNumberCheck } from './subject-number';
import { accessSchema } from './sections/access.schema';
import { appSchema } from './sections/app.schema';
import { operatorSchema } from './sections/operator.schema';
import { principalSchema } from './sections/principal.schema';
import { choice } from './schema/choice';
import {
  field,
  isGiven,
  isJsonObject,
  optionalField,
  ownValue,
  record,
  type RecordFacts,
} from './schema/record';
import type { Infer } from './schema/schema-node';
import { text } from './schema/text';

const formShape = {
  serviceType: field(choice(SERVICE_TYPES)),
  /** Set when the operator already holds a subject number; the subject sections may then be omitted. */
  existingSubjectNumber: optionalField(text({ max: 32, check: subjectNumberFindings })),
  operator: optionalField(operatorSchema),
  operatorPrincipal: optionalField(principalSchema),
  appPrincipal: field(principalSchema),
  app: field(appSchema),
  access: field(accessSchema),
};

type FormFacts = RecordFacts<typeof formShape>;

/** A first filing describes its subject; a holder of a subject number may leave that out. */
function subjectSectionsUnlessSubjectNumber({ raw, path, context }: FormFacts): void {
  if (isGiven(raw, 'existingSubjectNumber')) return;
  for (const section of ['operator', 'operatorPrincipal'] as const) {
    if (!isGiven(raw, section)) {
      context.issues.report(
        [...path, section],
        'required',
        'is required unless existingSubjectNumber is given',
      );
    }
  }
}

/** A subject number belongs to the bureau of the operator's province; both name the same one. */
function subjectNumberMatchesOperatorProvince({ raw, parsed, path, context }: FormFacts): void {
  const number = parsed.existingSubjectNumber;
  const operator = ownValue(raw, 'operator');
  const province = isJsonObject(operator) ? ownValue(operator, 'province') : undefined;
  if (number === undefined || typeof province !== 'string' || !isProvinceCode(province)) return;
  const check = subjectNumberCheck(number);
  if (check.ok && check.province.code !== province) {
    context.issues.report(
      [...path, 'operator', 'province'],
      'subject_number_province_mismatch',
      'is not the province that issued existingSubjectNumber; a subject is registered in its domicile province',
    );
  }
}

type AppField = 'platforms' | 'hostApp' | 'miniProgramId';

function appFieldsFor(serviceType: ServiceType): {
  needed: readonly AppField[];
  notAllowed: readonly AppField[];
} {
  switch (serviceType) {
    case 'app':
      return { needed: ['platforms'], notAllowed: ['hostApp', 'miniProgramId'] };
    case 'mini_program':
      return { needed: ['hostApp', 'miniProgramId'], notAllowed: ['platforms'] };
    default:
      return assertNever(serviceType, 'service type');
  }
}

const SERVICE_NAMES: Readonly<Record<ServiceType, string>> = {
  app: 'an app',
  mini_program: 'a mini program',
};

/** Apps list their platforms; mini programs name their host app and ID. */
function appFieldsMatchServiceType({ raw, parsed, path, context }: FormFacts): void {
  const app = ownValue(raw, 'app');
  if (parsed.serviceType === undefined || !isJsonObject(app)) return;
  const { needed, notAllowed } = appFieldsFor(parsed.serviceType);
  const service = SERVICE_NAMES[parsed.serviceType];
  for (const key of needed) {
    if (!isGiven(app, key)) {
      context.issues.report([...path, 'app', key], 'required', `is required for ${service}`);
    }
  }
  for (const key of notAllowed) {
    if (isGiven(app, key)) {
      context.issues.report(
        [...path, 'app', key],
        'forbidden_for_service_type',
        `is not allowed for ${service}`,
      );
    }
  }
}

/**
 * The whole registration form. Shape, lengths and per-field formats are declared here; the rules
 * between fields run as record rules, so all problems are found in one pass.
 */
export const registrationFormSchema = record(formShape, [
  subjectSectionsUnlessSubjectNumber,
  subjectNumberMatchesOperatorProvince,
  appFieldsMatchServiceType,
]);

/** The value the schema produces; `RegistrationForm` is its stricter, cross-field-checked reading. */
export type RegistrationFormShape = Infer<typeof registrationFormSchema>;
