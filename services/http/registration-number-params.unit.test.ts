import { SUBJECT_NUMBER_PATTERN } from '../../events/form/subject-number';
import { SERVICE_NUMBER_PATTERN, serviceNumberOf, subjectNumberOf } from './registration-number-params';

const SUBJECTS = ['粤ICP备2026000001号', '京ICP备05012345号', '粤B2-20090059', '蜀ICP备2026000001号'];
const NOT_SUBJECTS = ['粤ICP备2026000001号-1A', 'ICP备2026000001号', '粤B2-2009005', '', '粤ICP备号'];
const SERVICES = [
  '粤ICP备2026000001号-1',
  '粤ICP备2026000001号-2A',
  '粤B2-20090059-1626X',
  '川ICP备2026000001号-4K',
];
const NOT_SERVICES = [
  '粤ICP备2026000001号',
  '粤ICP备2026000001号-0A',
  '粤ICP备2026000001号-2Z',
  '粤B2-20090059-',
];

describe('the audit routes’ registration numbers', () => {
  it('accepts subject numbers in every form, stated with the issued abbreviation', () => {
    expect(SUBJECTS.map(subjectNumberOf)).toEqual([
      { subjectNumber: '粤ICP备2026000001号', provinceCode: '440000' },
      { subjectNumber: '京ICP备05012345号', provinceCode: '110000' },
      { subjectNumber: '粤B2-20090059', provinceCode: '440000' },
      { subjectNumber: '川ICP备2026000001号', provinceCode: '510000' },
    ]);
    expect(NOT_SUBJECTS.map(subjectNumberOf)).toEqual(NOT_SUBJECTS.map(() => undefined));
  });

  it('accepts service numbers with the suffix of a type', () => {
    expect(SERVICES.map(serviceNumberOf)).toEqual(SERVICES);
    expect(NOT_SERVICES.map(serviceNumberOf)).toEqual(NOT_SERVICES.map(() => undefined));
  });

  it('accepts exactly what the published patterns accept', () => {
    const subject = new RegExp(SUBJECT_NUMBER_PATTERN, 'u');
    const service = new RegExp(SERVICE_NUMBER_PATTERN, 'u');
    for (const text of [...SUBJECTS, ...NOT_SUBJECTS, ...SERVICES, ...NOT_SERVICES]) {
      expect({ text, subject: subject.test(text), service: service.test(text) }).toEqual({
        text,
        subject: subjectNumberOf(text) !== undefined,
        service: serviceNumberOf(text) !== undefined,
      });
    }
  });
});
