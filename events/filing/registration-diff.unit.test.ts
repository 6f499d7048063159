import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { diffForms, partOfPath, valueAtPath } from './registration-diff';

type Json = Record<string, unknown>;

/** A deep copy of the valid app form with `change` applied to it. */
function changed(change: (form: Json) => void): Json {
  const form = loadValidForm('valid-app');
  change(form);
  return form;
}

const app = (form: Json) => form.app as Json & { platforms: Json[]; domains: string[]; sdks: Json[] };

describe('diffForms: two versions of a form → the fields that differ', () => {
  it('gives nothing for equal forms, whatever the order of their keys', () => {
    const form = loadValidForm('valid-app');
    const reordered = Object.fromEntries(Object.entries(loadValidForm('valid-app')).reverse());
    expect(diffForms(form, reordered)).toEqual([]);
  });

  it('names a changed field nested in lists by index, with both values and its part', () => {
    const after = changed((form) => {
      app(form).platforms[0]!.packageName = 'com.example.books';
      app(form).domains[1] = 'cdn.example.com';
    });
    expect(diffForms(loadValidForm('valid-app'), after)).toEqual([
      {
        path: 'app.platforms.0.packageName',
        before: 'com.example.ledger',
        after: 'com.example.books',
        part: 'service',
      },
      { path: 'app.domains.1', before: 'static.example.com', after: 'cdn.example.com', part: 'service' },
    ]);
  });

  it('tells the subject’s fields from the service’s', () => {
    const after = changed((form) => {
      (form.operator as Json).address = '深圳市福田区示例路 1 号';
      (form.operatorPrincipal as Json).mobile = '13800138999';
      (form.appPrincipal as Json).email = 'wangwu@example.com';
      (form.access as Json).ispName = '阿里云';
    });
    expect(diffForms(loadValidForm('valid-app'), after).map(({ path, part }) => [path, part])).toEqual([
      ['operator.address', 'subject'],
      ['operatorPrincipal.mobile', 'subject'],
      ['appPrincipal.email', 'service'],
      ['access.ispName', 'service'],
    ]);
  });

  it('lists an item added to a list field by field, the registered side absent', () => {
    const before = loadValidForm('valid-app');
    const after = changed((form) => {
      app(form).sdks.push({ name: '高德地图 SDK', provider: '高德软件有限公司' });
    });
    const index = app(before).sdks.length;
    expect(diffForms(before, after)).toEqual([
      { path: `app.sdks.${index}.name`, after: '高德地图 SDK', part: 'service' },
      { path: `app.sdks.${index}.provider`, after: '高德软件有限公司', part: 'service' },
    ]);
  });

  it('lists an item dropped from a list, and the items that moved up, by index', () => {
    const after = changed((form) => {
      app(form).platforms.splice(1, 1);
    });
    const differences = diffForms(loadValidForm('valid-app'), after);
    expect(differences.map((d) => d.path)).toEqual(
      expect.arrayContaining(['app.platforms.1.os', 'app.platforms.1.bundleId', 'app.platforms.2.os']),
    );
    expect(differences.find((d) => d.path === 'app.platforms.1.bundleId')).toEqual({
      path: 'app.platforms.1.bundleId',
      before: 'com.example.ledger',
      part: 'service',
    });
    expect(differences.find((d) => d.path === 'app.platforms.1.packageName')).toEqual({
      path: 'app.platforms.1.packageName',
      after: 'com.example.ledger.harmony',
      part: 'service',
    });
    expect(
      differences.filter((d) => d.path.startsWith('app.platforms.2.')).every((d) => !('after' in d)),
    ).toBe(true);
  });

  it('a section present on one side only: every field of it, the other side absent', () => {
    const before = { serviceType: 'app', existingSubjectNumber: '粤ICP备2021012345号' };
    const after = {
      serviceType: 'app',
      existingSubjectNumber: '粤ICP备2021012345号',
      operatorPrincipal: { name: '张三', mobile: '13800138000' },
    };
    expect(diffForms(before, after)).toEqual([
      { path: 'operatorPrincipal.name', after: '张三', part: 'subject' },
      { path: 'operatorPrincipal.mobile', after: '13800138000', part: 'subject' },
    ]);
    expect(diffForms(after, before)).toEqual([
      { path: 'operatorPrincipal.name', before: '张三', part: 'subject' },
      { path: 'operatorPrincipal.mobile', before: '13800138000', part: 'subject' },
    ]);
  });

  it('a value replaced by one of another shape: the old value and the new fields', () => {
    const before = { app: { preApprovals: 'none' } };
    const after = { app: { preApprovals: [{ category: 'news', approvalRef: 'X-1' }] } };
    expect(diffForms(before, after)).toEqual([
      { path: 'app.preApprovals', before: 'none', part: 'service' },
      { path: 'app.preApprovals.0.category', after: 'news', part: 'service' },
      { path: 'app.preApprovals.0.approvalRef', after: 'X-1', part: 'service' },
    ]);
  });

  it('empty lists and objects are values too; an undefined field is an absent one', () => {
    expect(diffForms({ app: { domains: [] } }, { app: {} })).toEqual([
      { path: 'app.domains', before: [], part: 'service' },
    ]);
    expect(diffForms({ app: { domains: [] } }, { app: { domains: ['a.example.com'] } })).toEqual([
      { path: 'app.domains.0', after: 'a.example.com', part: 'service' },
    ]);
    expect(diffForms({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
    expect(diffForms({ a: null }, { a: 0 })).toEqual([
      { path: 'a', before: null, after: 0, part: 'service' },
    ]);
  });

  it('leaves its arguments unchanged', () => {
    const before = loadValidForm('valid-app');
    const after = changed((form) => {
      app(form).name = '示例记账 Pro';
    });
    const copies = JSON.stringify([before, after]);
    diffForms(before, after);
    expect(JSON.stringify([before, after])).toBe(copies);
  });
});

describe('partOfPath and valueAtPath', () => {
  it.each([
    ['operator.name', 'subject'],
    ['operatorCertificate.number', 'subject'],
    ['existingSubjectNumber', 'subject'],
    ['operatorPrincipal.idNumber', 'subject'],
    ['app.name', 'service'],
    ['appPrincipal.name', 'service'],
    ['access.ipAddresses.0', 'service'],
    ['serviceType', 'service'],
  ])('%s belongs to the %s', (path, part) => {
    expect(partOfPath(path)).toBe(part);
  });

  it('reads the value a difference names, undefined when absent', () => {
    const form = loadValidForm('valid-app');
    expect(valueAtPath(form, 'app.platforms.1.bundleId')).toBe('com.example.ledger');
    expect(valueAtPath(form, 'app.platforms.9.bundleId')).toBeUndefined();
    expect(valueAtPath(form, 'app.name.length')).toBeUndefined();
    expect(valueAtPath(form, 'app.platforms.x')).toBeUndefined();
    expect(valueAtPath(form, 'toString')).toBeUndefined();
  });
});
