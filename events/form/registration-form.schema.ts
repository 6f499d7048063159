import { assertNever } from '../assert-never';
import { isProvinceCode } from '../provinces';
import { subjectNumberCheck } from './checks/place-checks';
import { SERVICE_TYPES, type ServiceType } from './registration-form';
import { subjectNumberCheck as checkSubjectNumber } from './subject-number';
import { accessSchema } from './sections/access.schema';
import { appSchema } from './sections/app.schema';
import { operatorCertificateSchema } from './sections/operator-certificate.schema';
import { operatorSchema } from './sections/operator.schema';
import { principalSchema } from './sections/principal.schema';
import { choice } from './schema/choice';
import { fieldsByChoice } from './schema/fields-by-choice';
import { given, notGiven } from './schema/json-schema';
import {
  field,
  isGiven,
  isJsonObject,
  optionalField,
  ownValue,
  record,
  type RecordFacts,
  type RecordRule,
} from './schema/record';
import type { Infer } from './schema/schema-node';
import { text } from './schema/text';

const formShape = {
  serviceType: field(choice(SERVICE_TYPES)),
  /** Set when the operator already holds a subject number; the subject sections may then be omitted. */
  existingSubjectNumber: optionalField(text({ max: 32, check: subjectNumberCheck })),
  /** With existingSubjectNumber: the certificate the subject is registered under (required without operator). */
  operatorCertificate: optionalField(operatorCertificateSchema),
  operator: optionalField(operatorSchema),
  operatorPrincipal: optionalField(principalSchema),
  appPrincipal: field(principalSchema),
  app: field(appSchema),
  access: field(accessSchema),
};

type FormFacts = RecordFacts<typeof formShape>;
type FormRule = RecordRule<typeof formShape>;

/**
 * A first filing describes its subject. A holder of a subject number may leave that out, but then
 * names the certificate (USCC or resident ID) its subject is registered under.
 */
const subjectSectionsUnlessSubjectNumber: FormRule = Object.assign(subjectSectionsCheck, {
  jsonSchema: {
    anyOf: [
      {
        allOf: [given('existingSubjectNumber'), { anyOf: [given('operator'), given('operatorCertificate')] }],
      },
      {
        allOf: [
          notGiven('existingSubjectNumber'),
          given('operator'),
          given('operatorPrincipal'),
          notGiven('operatorCertificate'),
        ],
      },
    ],
  },
});

function subjectSectionsCheck({ raw, path, context }: FormFacts): void {
  if (isGiven(raw, 'existingSubjectNumber')) {
    if (!isGiven(raw, 'operator') && !isGiven(raw, 'operatorCertificate')) {
      context.issues.report(
        [...path, 'operatorCertificate'],
        'required',
        'is required when existingSubjectNumber is given without the operator section',
      );
    }
    return;
  }
  for (const section of ['operator', 'operatorPrincipal'] as const) {
    if (!isGiven(raw, section)) {
      context.issues.report(
        [...path, section],
        'required',
        'is required unless existingSubjectNumber is given',
      );
    }
  }
  if (isGiven(raw, 'operatorCertificate')) {
    context.issues.report(
      [...path, 'operatorCertificate'],
      'forbidden_without_subject_number',
      'is given only with existingSubjectNumber; a new subject is named by its operator section',
    );
  }
}

/** The certificate a form names and the operator section it also gives are one and the same. */
const certificateMatchesOperator: FormRule = Object.assign(certificateOperatorCheck, {
  jsonSchema: {
    description:
      "when operator and operatorCertificate are both given, operatorCertificate is the operator's creditCode (type uscc) or idNumber (type resident_id, nature individual)",
  },
});

function certificateOperatorCheck({ parsed, path, context }: FormFacts): void {
  const { operator, operatorCertificate: certificate } = parsed;
  if (operator === undefined || certificate === undefined) return;
  const operatorType = operator.nature === 'individual' ? 'resident_id' : 'uscc';
  const operatorNumber = operator.nature === 'individual' ? operator.idNumber : operator.creditCode;
  if (
    certificate.type !== operatorType ||
    certificate.number.toUpperCase() !== operatorNumber?.toUpperCase()
  ) {
    context.issues.report(
      [...path, 'operatorCertificate'],
      'operator_certificate_mismatch',
      operatorType === 'uscc'
        ? "must be the operator's credit code (type uscc)"
        : "must be the operator's resident ID number (type resident_id)",
    );
  }
}

/**
 * A subject number belongs to the bureau of the operator's province; both name the same one. As
 * JSON Schema this is one `if`/`then` per province, which the fuzzer cannot generate for: the rule is
 * published in words.
 */
const subjectNumberMatchesOperatorProvince: FormRule = Object.assign(subjectNumberProvinceCheck, {
  jsonSchema: {
    description:
      'operator.province is the province whose abbreviation begins existingSubjectNumber (粤 → 440000)',
  },
});

function subjectNumberProvinceCheck({ raw, parsed, path, context }: FormFacts): void {
  const number = parsed.existingSubjectNumber;
  const operator = ownValue(raw, 'operator');
  const province = isJsonObject(operator) ? ownValue(operator, 'province') : undefined;
  if (number === undefined || typeof province !== 'string' || !isProvinceCode(province)) return;
  const check = checkSubjectNumber(number);
  if (check.ok && check.province.code !== province) {
    context.issues.report(
      [...path, 'operator', 'province'],
      'subject_number_province_mismatch',
      'is not the province that issued existingSubjectNumber; a subject is registered in its domicile province',
    );
  }
}

type AppField = 'platforms' | 'hostApp' | 'miniProgramId' | 'quickAppPackage';

function appFieldsFor(serviceType: ServiceType): {
  needed: readonly AppField[];
  notAllowed: readonly AppField[];
} {
  switch (serviceType) {
    case 'app':
      return { needed: ['platforms'], notAllowed: ['hostApp', 'miniProgramId', 'quickAppPackage'] };
    case 'mini_program':
      return { needed: ['hostApp', 'miniProgramId'], notAllowed: ['platforms', 'quickAppPackage'] };
    case 'quick_app':
      return { needed: ['quickAppPackage'], notAllowed: ['platforms', 'hostApp', 'miniProgramId'] };
    default:
      return assertNever(serviceType, 'service type');
  }
}

const SERVICE_NAMES: Readonly<Record<ServiceType, string>> = {
  app: 'an app',
  mini_program: 'a mini program',
  quick_app: 'a quick app',
};

/** Apps list their platforms; mini programs name their host app and ID; quick apps their package. */
const appFieldsMatchServiceType = fieldsByChoice<typeof formShape, ServiceType>({
  choice: 'serviceType',
  values: SERVICE_TYPES,
  fieldsFor: appFieldsFor,
  name: (serviceType) => SERVICE_NAMES[serviceType],
  within: 'app',
  forbiddenRule: 'forbidden_for_service_type',
});

/**
 * The whole registration form. Shape, lengths and per-field formats are declared here; the rules
 * between fields run as record rules, so all problems are found in one pass.
 */
export const registrationFormSchema = record(formShape, [
  subjectSectionsUnlessSubjectNumber,
  certificateMatchesOperator,
  subjectNumberMatchesOperatorProvince,
  appFieldsMatchServiceType,
]);

/** The value the schema produces; `RegistrationForm` is its stricter, cross-field-checked reading. */
export type RegistrationFormShape = Infer<typeof registrationFormSchema>;
