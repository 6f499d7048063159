import { organisationLine, residentId, uscc, website } from '../../test/support/registry-import-lines';
import { type ImportSubject, checkImportSubject, importLineId } from './import-line';
import { subjectKeyDigestOf } from './registry-streams';

const TODAY = '2026-12-07';

type Line = Record<string, unknown> & { websites?: unknown };

function issuesOf(line: unknown): Array<{ path: string; rule: string }> {
  const check = checkImportSubject(line, TODAY);
  return check.ok ? [] : check.issues.map(({ path, rule }) => ({ path, rule }));
}

function accepted(line: unknown): ImportSubject {
  const check = checkImportSubject(line, TODAY);
  if (!check.ok) throw new Error(`refused: ${JSON.stringify(check.issues)}`);
  return check.subject;
}

const organisation = (): Line => organisationLine(4) as unknown as Line;
const withWebsite = (edit: Record<string, unknown>): Line => {
  const line = organisation();
  const [first] = line.websites as Array<Record<string, unknown>>;
  return { ...line, websites: [{ ...first, ...edit }] };
};

describe('an import line', () => {
  it('is accepted with the subject key digested and the numbers in their issued form', () => {
    const subject = accepted({
      ...organisation(),
      subjectNumber: '蜀ICP备2021000005号',
      websites: [website('蜀ICP备2021000005号', 2, 'Shop.Example.CN')],
    });
    expect(subject).toMatchObject({
      subjectKeyDigest: subjectKeyDigestOf(`uscc:${uscc(4)}`),
      subjectNumber: '川ICP备2021000005号',
      provinceCode: '510000',
      format: 'icp',
      year: 2021,
      sequence: 5,
      websites: [{ serviceNumber: '川ICP备2021000005号-2', n: 2, domains: ['shop.example.cn'] }],
    });
    expect(JSON.stringify(subject)).not.toContain(uscc(4));
  });

  it('accepts an individual by resident ID, a licence-style and a legacy subject number', () => {
    const individual = {
      ...organisation(),
      certificateType: 'resident_id',
      certificateNumber: residentId(7),
      operatorNature: 'individual',
    };
    expect(accepted(individual).subjectKeyDigest).toBe(subjectKeyDigestOf(`id:${residentId(7)}`));
    const licence = accepted({
      ...organisation(),
      subjectNumber: '粤B2-20090059',
      websites: [website('粤B2-20090059', 1626, 'big.example.cn')],
    });
    expect(licence).toMatchObject({ format: 'licence', websites: [{ n: 1626 }] });
    const legacy = accepted({
      ...organisation(),
      subjectNumber: '京ICP备05012345号',
      websites: [website('京ICP备05012345号', 1, 'old.example.cn')],
    });
    expect(legacy).toMatchObject({ format: 'icp_legacy', provinceCode: '110000' });
  });

  it.each<[string, () => unknown, string, string]>([
    ['not an object', () => [organisation()], '', 'type'],
    ['a field it does not know', () => ({ ...organisation(), remarks: 'x' }), 'remarks', 'unknown_field'],
    ['a missing field', () => ({ ...organisation(), operatorName: undefined }), 'operatorName', 'required'],
    ['text of the wrong type', () => ({ ...organisation(), operatorName: 7 }), 'operatorName', 'type'],
    [
      'a name too long',
      () => ({ ...organisation(), operatorName: '名'.repeat(101) }),
      'operatorName',
      'too_long',
    ],
    [
      'an unknown certificate type',
      () => ({ ...organisation(), certificateType: 'passport' }),
      'certificateType',
      'invalid_choice',
    ],
    [
      'an unknown nature',
      () => ({ ...organisation(), operatorNature: 'company' }),
      'operatorNature',
      'invalid_choice',
    ],
    [
      'a malformed USCC',
      () => ({ ...organisation(), certificateNumber: 'ABC' }),
      'certificateNumber',
      'credit_code_format',
    ],
    [
      'a resident ID with a wrong check digit',
      () => ({
        ...organisation(),
        certificateType: 'resident_id',
        operatorNature: 'individual',
        certificateNumber: `${residentId(7).slice(0, 17)}${residentId(7).endsWith('0') ? '1' : '0'}`,
      }),
      'certificateNumber',
      'resident_id_checksum',
    ],
    [
      'a USCC for an individual',
      () => ({ ...organisation(), operatorNature: 'individual' }),
      'certificateType',
      'certificate_type_for_nature',
    ],
    [
      'a service number for a subject number',
      () => ({ ...organisation(), subjectNumber: '粤ICP备2021000005号-1' }),
      'subjectNumber',
      'subject_number_format',
    ],
    ['websites that are not a list', () => ({ ...organisation(), websites: {} }), 'websites', 'type'],
    ['no website', () => ({ ...organisation(), websites: [] }), 'websites', 'too_few'],
    [
      'a website that is not an object',
      () => ({ ...organisation(), websites: ['x'] }),
      'websites[0]',
      'type',
    ],
    [
      'a malformed service number',
      () => withWebsite({ serviceNumber: '粤ICP备2021000005号-A1' }),
      'websites[0].serviceNumber',
      'service_number_format',
    ],
    [
      'an app number',
      () => withWebsite({ serviceNumber: '粤ICP备2021000005号-1A' }),
      'websites[0].serviceNumber',
      'service_number_not_website',
    ],
    [
      'another subject’s number',
      () => withWebsite({ serviceNumber: '粤ICP备2021000006号-1' }),
      'websites[0].serviceNumber',
      'service_number_other_subject',
    ],
    ['no domain', () => withWebsite({ domains: [] }), 'websites[0].domains', 'too_few'],
    [
      'a URL for a domain',
      () => withWebsite({ domains: ['https://a.example.cn'] }),
      'websites[0].domains[0]',
      'domain_format',
    ],
    [
      'a domain twice',
      () => withWebsite({ domains: ['a.example.cn', 'A.example.cn'] }),
      'websites[0].domains[1]',
      'duplicate',
    ],
    [
      'a date that does not exist',
      () => withWebsite({ approvedOn: '2021-02-29' }),
      'websites[0].approvedOn',
      'date_format',
    ],
    [
      'a date after the import',
      () => withWebsite({ approvedOn: '2026-12-08' }),
      'websites[0].approvedOn',
      'date_in_future',
    ],
  ])('names %s: field and rule', (_, line, path, rule) => {
    expect(issuesOf(line())).toEqual([{ path, rule }]);
  });

  it('names a service number given twice', () => {
    const line = organisation();
    const websites = [
      website(line.subjectNumber as string, 2, 'a.example.cn'),
      website(line.subjectNumber as string, 2, 'b.example.cn'),
    ];
    expect(issuesOf({ ...line, websites })).toEqual([
      { path: 'websites[1].serviceNumber', rule: 'duplicate' },
    ]);
  });

  it('reports every problem of a line at once, never echoing a certificate number', () => {
    const check = checkImportSubject(
      { ...organisation(), certificateNumber: '1100001234', operatorNature: 'x', websites: [{}] },
      TODAY,
    );
    expect(check.ok).toBe(false);
    const issues = check.ok ? [] : check.issues;
    expect(issues.map((issue) => issue.path)).toEqual([
      'operatorNature',
      'certificateNumber',
      'websites[0].serviceNumber',
      'websites[0].name',
      'websites[0].domains',
      'websites[0].approvedOn',
    ]);
    expect(JSON.stringify(issues)).not.toContain('1100001234');
  });

  it('has one id per content: the same line gives the same id, a changed line another', () => {
    const subject = accepted(organisation());
    expect(importLineId(accepted(organisation()))).toBe(importLineId(subject));
    expect(importLineId(accepted({ ...organisation(), operatorName: 'other' }))).not.toBe(
      importLineId(subject),
    );
  });
});
