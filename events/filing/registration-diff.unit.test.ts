import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import type { RegistrationForm } from '../form/registration-form';
import { validateRegistrationForm } from '../form/validate-form';
import { altersOf, diffForms, immutableChangesOf, partOfPath } from './registration-diff';

type Editable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function form(change?: (form: Editable) => void, name: 'valid-app' | 'valid-mini-program' = 'valid-app') {
  const input = loadValidForm(name) as Editable;
  change?.(input);
  const result = validateRegistrationForm(input, { submittedOn: '2026-11-30' });
  if (!result.ok) throw new Error(`does not validate: ${JSON.stringify(result.errors)}`);
  return result.value;
}

const registered: RegistrationForm = form();

describe('diffForms', () => {
  it('finds no difference between a form and itself', () => {
    expect(diffForms(registered, form())).toEqual([]);
  });

  it('names a changed package name and changed domains, as the service’s', () => {
    const proposed = form((f) => {
      f.app.platforms[0].packageName = 'com.example.ledger2';
      f.app.domains = ['api.example.com', 'new.example.com'];
    });
    expect(diffForms(registered, proposed)).toEqual([
      {
        path: 'app.platforms[0].packageName',
        part: 'service',
        before: 'com.example.ledger',
        after: 'com.example.ledger2',
      },
      {
        path: 'app.domains',
        part: 'service',
        before: registered.app.domains,
        after: ['api.example.com', 'new.example.com'],
      },
    ]);
    expect(altersOf(diffForms(registered, proposed))).toEqual({ subject: false, service: true });
  });

  it('tells the subject’s changes from the service’s', () => {
    const proposed = form((f) => {
      f.operator.address = '深圳市南山区新地址 1 号';
      f.operatorPrincipal.mobile = '13800138001';
      f.access.ispName = '腾讯云计算（北京）有限责任公司';
    });
    const diff = diffForms(registered, proposed);
    expect(diff.map(({ path, part }) => [path, part])).toEqual([
      ['operator.address', 'subject'],
      ['operatorPrincipal.mobile', 'subject'],
      ['access.ispName', 'service'],
    ]);
    expect(altersOf(diff)).toEqual({ subject: true, service: true });
  });

  it('names an added and a removed list item by index', () => {
    const proposed = form((f) => {
      f.app.sdks = [...f.app.sdks, { name: '高德地图 SDK', provider: '高德软件有限公司' }];
      f.app.platforms = f.app.platforms.slice(0, 2);
    });
    const diff = diffForms(registered, proposed);
    expect(diff).toContainEqual({
      path: 'app.platforms[2]',
      part: 'service',
      before: (registered.app as unknown as { platforms: unknown[] }).platforms[2],
    });
    expect(diff).toContainEqual({
      path: 'app.sdks[2]',
      part: 'service',
      after: { name: '高德地图 SDK', provider: '高德软件有限公司' },
    });
  });

  it('names an optional field added or removed', () => {
    const proposed = form((f) => {
      delete f.appPrincipal.emergencyContact;
    });
    expect(diffForms(registered, proposed)).toEqual([
      { path: 'appPrincipal.emergencyContact', part: 'service', before: '13700137000' },
    ]);
  });

  it('marks the subject’s sections', () => {
    expect(partOfPath('operator.name')).toBe('subject');
    expect(partOfPath('operatorCertificate.number')).toBe('subject');
    expect(partOfPath('existingSubjectNumber')).toBe('subject');
    expect(partOfPath('operatorPrincipal')).toBe('subject');
    expect(partOfPath('appPrincipal.name')).toBe('service');
    expect(partOfPath('app.platforms[0].os')).toBe('service');
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
