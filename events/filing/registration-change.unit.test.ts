import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import type { RegistrationForm } from '../form/registration-form';
import { validateRegistrationForm } from '../form/validate-form';
import { altersOf, diffForms, immutableChangesOf } from './registration-diff';

type Editable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function form(change?: (form: Editable) => void, name: 'valid-app' | 'valid-mini-program' = 'valid-app') {
  const input = loadValidForm(name) as Editable;
  change?.(input);
  const result = validateRegistrationForm(input, { submittedOn: '2026-11-30' });
  if (!result.ok) throw new Error(`does not validate: ${JSON.stringify(result.errors)}`);
  return result.value;
}

const registered: RegistrationForm = form();

describe('altersOf', () => {
  it('tells the subject’s changes from the service’s', () => {
    const proposed = form((f) => {
      f.operator.name = '深圳市示例账本科技股份有限公司';
      f.app.serviceContent = '个人记账与家庭账本。';
    });
    expect(altersOf(diffForms(registered, proposed))).toEqual({ subject: true, service: true });
    const serviceOnly = form((f) => {
      f.app.domains = [];
    });
    expect(altersOf(diffForms(registered, serviceOnly))).toEqual({ subject: false, service: true });
  });
});

describe('immutableChangesOf', () => {
  it('allows a change of everything else', () => {
    const proposed = form((f) => {
      f.operator.name = '深圳市示例账本新名科技有限公司';
      f.app.name = '示例记账 Pro';
    });
    expect(immutableChangesOf(registered, proposed)).toEqual([]);
  });

  it('names the province', () => {
    const proposed = form((f) => {
      f.operator.province = '110000';
      f.operator.city = '北京市';
    });
    expect(immutableChangesOf(registered, proposed)).toEqual([
      { path: 'operator.province', what: 'province' },
    ]);
  });

  it('names the credit code', () => {
    const proposed = form((f) => {
      f.operator.creditCode = '91110108MA01KPGK0L';
    });
    expect(immutableChangesOf(registered, proposed)).toEqual([
      { path: 'operator.creditCode', what: 'certificate' },
    ]);
  });

  it('names an individual’s ID number', () => {
    const mini = form(undefined, 'valid-mini-program');
    const proposed = form((f) => {
      f.operator.idNumber = '11010519491231002X';
    }, 'valid-mini-program');
    expect(immutableChangesOf(mini, proposed)).toContainEqual({
      path: 'operator.idNumber',
      what: 'certificate',
    });
  });
});
