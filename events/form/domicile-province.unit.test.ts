import { loadValidForm, type ValidFormFixture } from '../../test/fixtures/forms/form-fixtures';
import { domicileProvinceOf } from './domicile-province';
import type { RegistrationForm } from './registration-form';
import { validateRegistrationForm } from './validate-form';

function validForm(name: ValidFormFixture): RegistrationForm {
  const result = validateRegistrationForm(loadValidForm(name), { submittedOn: '2025-06-01' });
  if (!result.ok) throw new Error(`${name} should be valid`);
  return result.value;
}

describe('domicileProvinceOf', () => {
  it("takes the operator's province for a first filing", () => {
    expect(domicileProvinceOf(validForm('valid-app')).code).toBe('440000');
    expect(domicileProvinceOf(validForm('valid-mini-program')).code).toBe('510000');
  });

  it('takes the province that issued an existing subject number', () => {
    expect(domicileProvinceOf(validForm('valid-existing-subject'))).toMatchObject({
      code: '310000',
      name: '上海市',
    });
  });
});
