import { OPERATOR_NATURES, type OperatorNature } from '../registration-form';
import { creditCodeCheck, residentIdNumberCheck } from '../checks/identity-checks';
import { provinceCodeCheck } from '../checks/place-checks';
import { choice } from '../schema/choice';
import { fieldsByChoice } from '../schema/fields-by-choice';
import { field, optionalField, record } from '../schema/record';
import { text } from '../schema/text';

const operatorShape = {
  nature: field(choice(OPERATOR_NATURES)),
  name: field(text({ max: 100 })),
  /** Organisations: Unified Social Credit Code. */
  creditCode: optionalField(text({ max: 32, check: creditCodeCheck })),
  /** Individuals: resident identity card number. */
  idNumber: optionalField(text({ max: 32, check: residentIdNumberCheck })),
  province: field(text({ max: 16, check: provinceCodeCheck })),
  city: field(text({ max: 50 })),
  address: field(text({ max: 200 })),
};

/** An individual identifies with a resident ID, every other operator with a credit code. */
const identifierMatchesNature = fieldsByChoice<typeof operatorShape, OperatorNature>({
  choice: 'nature',
  values: OPERATOR_NATURES,
  fieldsFor: (nature) =>
    nature === 'individual'
      ? { needed: ['idNumber'], notAllowed: ['creditCode'] }
      : { needed: ['creditCode'], notAllowed: ['idNumber'] },
  name: (nature) =>
    nature === 'individual' ? 'an individual operator' : 'an operator that is not an individual',
  forbiddenRule: 'forbidden_for_nature',
});

/** 主办者: who operates the service. */
export const operatorSchema = record(operatorShape, [identifierMatchesNature]);
