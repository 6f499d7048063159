import { normalisePhoneNumber } from '../../contact/phone-numbers';
import { ID_TYPES } from '../registration-form';
import { emailFindings, mobileFindings, phoneFindings } from '../checks/contact-checks';
import { idNumberFindings, idValidUntilFindings } from '../checks/identity-checks';
import { choice } from '../schema/choice';
import { field, optionalField, record, type RecordFacts } from '../schema/record';
import { text } from '../schema/text';

const principalShape = {
  name: field(text({ max: 50 })),
  idType: field(choice(ID_TYPES)),
  idNumber: field(text({ max: 32 })),
  idValidUntil: field(text({ max: 32, check: idValidUntilFindings })),
  mobile: field(text({ max: 20, check: mobileFindings })),
  email: field(text({ max: 254, check: emailFindings })),
  emergencyContact: optionalField(text({ max: 24, check: phoneFindings })),
};

type PrincipalFacts = RecordFacts<typeof principalShape>;

/** The number is checked as its document type requires; with an unknown type it cannot be. */
function idNumberFitsIdType({ parsed, path, context }: PrincipalFacts): void {
  if (parsed.idType === undefined || parsed.idNumber === undefined) return;
  context.issues.reportAll([...path, 'idNumber'], idNumberFindings(parsed.idType, parsed.idNumber, context));
}

function emergencyContactIsAnotherNumber({ parsed, path, context }: PrincipalFacts): void {
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
