import { normalisePhoneNumber } from '../../contact/phone-numbers';
import { ID_TYPES } from '../registration-form';
import { emailCheck, mobileCheck, phoneCheck } from '../checks/contact-checks';
import { ID_NUMBER_CHECKS, idValidUntilCheck } from '../checks/identity-checks';
import { choice } from '../schema/choice';
import { field, optionalField, record, type RecordFacts, type RecordRule } from '../schema/record';
import { text } from '../schema/text';

const principalShape = {
  name: field(text({ max: 50 })),
  idType: field(choice(ID_TYPES)),
  idNumber: field(text({ max: 32 })),
  idValidUntil: field(text({ max: 32, check: idValidUntilCheck })),
  mobile: field(text({ max: 20, check: mobileCheck })),
  email: field(text({ max: 254, check: emailCheck })),
  emergencyContact: optionalField(text({ max: 24, check: phoneCheck })),
};

type PrincipalFacts = RecordFacts<typeof principalShape>;

/** The number is checked as its document type requires; with an unknown type it cannot be. */
const idNumberFitsIdType: RecordRule<typeof principalShape> = Object.assign(
  ({ parsed, path, context }: PrincipalFacts): void => {
    if (parsed.idType === undefined || parsed.idNumber === undefined) return;
    const check = ID_NUMBER_CHECKS[parsed.idType];
    context.issues.reportAll([...path, 'idNumber'], check.findings(parsed.idNumber, context));
  },
  {
    jsonSchema: {
      allOf: ID_TYPES.map((idType) => ({
        if: { properties: { idType: { const: idType } }, required: ['idType'] },
        then: { properties: { idNumber: ID_NUMBER_CHECKS[idType].jsonSchema } },
      })),
    },
  },
);

/** No JSON Schema compares two fields' values: the format names the rule. */
const emergencyContactIsAnotherNumber: RecordRule<typeof principalShape> = Object.assign(
  emergencyContactCheck,
  { jsonSchema: { properties: { emergencyContact: { format: 'phone-other-than-mobile' } } } },
);

function emergencyContactCheck({ parsed, path, context }: PrincipalFacts): void {
  if (parsed.mobile === undefined || parsed.emergencyContact === undefined) return;
  if (normalisePhoneNumber(parsed.mobile) !== normalisePhoneNumber(parsed.emergencyContact)) return;
  context.issues.report(
    [...path, 'emergencyContact'],
    'emergency_contact_same_as_mobile',
    'must be a different number from the mobile number, so the person can be reached another way',
  );
}

/** 负责人: a person in charge, of the operator or of the app. */
export const principalSchema = record(principalShape, [idNumberFitsIdType, emergencyContactIsAnotherNumber]);
