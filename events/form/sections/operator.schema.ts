import { OPERATOR_NATURES } from '../registration-form';
import { creditCodeFindings, residentIdFindings } from '../checks/identity-checks';
import { provinceCodeFindings } from '../checks/place-checks';
import { choice } from '../schema/choice';
import { field, isGiven, optionalField, record, type RecordFacts } from '../schema/record';
import { text } from '../schema/text';

const operatorShape = {
  nature: field(choice(OPERATOR_NATURES)),
  name: field(text({ max: 100 })),
  /** Organisations: Unified Social Credit Code. */
  creditCode: optionalField(text({ max: 32, check: creditCodeFindings })),
  /** Individuals: resident identity card number. */
  idNumber: optionalField(text({ max: 32, check: residentIdFindings })),
  province: field(text({ max: 16, check: provinceCodeFindings })),
  city: field(text({ max: 50 })),
  address: field(text({ max: 200 })),
};

/** An individual identifies with a resident ID, every other operator with a credit code. */
function identifierMatchesNature({ raw, parsed, path, context }: RecordFacts<typeof operatorShape>): void {
  if (parsed.nature === undefined) return;
  const individual = parsed.nature === 'individual';
  const [needed, notAllowed] = individual ? ['idNumber', 'creditCode'] : ['creditCode', 'idNumber'];
  const who = individual ? 'an individual operator' : 'an operator that is not an individual';
  if (!isGiven(raw, needed)) context.issues.report([...path, needed], 'required', `is required for ${who}`);
  if (isGiven(raw, notAllowed)) {
    context.issues.report([...path, notAllowed], 'forbidden_for_nature', `is not allowed for ${who}`);
  }
}

/** 主办者: who operates the service. */
export const operatorSchema = record(operatorShape, [identifierMatchesNature]);
