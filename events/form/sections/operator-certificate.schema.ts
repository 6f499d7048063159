import { OPERATOR_CERTIFICATE_TYPES, type OperatorCertificateType } from '../registration-form';
import { creditCodeCheck, residentIdNumberCheck } from '../checks/identity-checks';
import { choice } from '../schema/choice';
import { field, ownValue, record, type RecordFacts, type RecordRule } from '../schema/record';
import { text } from '../schema/text';
import type { TextCheck } from '../schema/text-check';

const certificateShape = {
  type: field(choice(OPERATOR_CERTIFICATE_TYPES)),
  number: field(text({ max: 32 })),
};

const NUMBER_CHECKS: Readonly<Record<OperatorCertificateType, TextCheck>> = {
  uscc: creditCodeCheck,
  resident_id: residentIdNumberCheck,
};

/** The number is checked as the kind of certificate `type` names: a credit code or a resident ID. */
const numberFitsType: RecordRule<typeof certificateShape> = Object.assign(numberCheck, {
  jsonSchema: {
    oneOf: OPERATOR_CERTIFICATE_TYPES.map((type) => ({
      properties: { type: { const: type }, number: NUMBER_CHECKS[type].jsonSchema },
    })),
  },
});

function numberCheck({ raw, parsed, path, context }: RecordFacts<typeof certificateShape>): void {
  const number = ownValue(raw, 'number');
  if (parsed.type === undefined || typeof number !== 'string' || parsed.number === undefined) return;
  context.issues.reportAll([...path, 'number'], NUMBER_CHECKS[parsed.type].findings(number, context));
}

/** The certificate a subject is registered under: what a form naming only its subject number carries. */
export const operatorCertificateSchema = record(certificateShape, [numberFitsType]);
