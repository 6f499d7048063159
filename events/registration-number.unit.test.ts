import {
  type RegistrationNumberProblem,
  formatServiceNumber,
  formatSubjectNumber,
  issuedSubjectNumber,
  parseRegistrationNumber,
} from './registration-number';

describe('formatSubjectNumber', () => {
  it('prints the issued abbreviation, the year and six digits', () => {
    expect(formatSubjectNumber({ provinceCode: '440000', year: 2026, sequence: 123 })).toBe(
      '粤ICP备2026000123号',
    );
    expect(formatSubjectNumber({ provinceCode: '510000', year: 2026, sequence: 999_999 })).toBe(
      '川ICP备2026999999号',
    );
  });

  it('rejects what cannot be printed', () => {
    expect(() => formatSubjectNumber({ provinceCode: '440000', year: 2026, sequence: 0 })).toThrow(
      RangeError,
    );
    expect(() => formatSubjectNumber({ provinceCode: '440000', year: 2026, sequence: 1_000_000 })).toThrow(
      RangeError,
    );
    expect(() => formatSubjectNumber({ provinceCode: '440000', year: 26, sequence: 1 })).toThrow(RangeError);
    // @ts-expect-error Hong Kong issues no ICP numbers
    expect(() => formatSubjectNumber({ provinceCode: '810000', year: 2026, sequence: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('formatServiceNumber', () => {
  it('appends -<n>A for apps and -<n>X for mini programs', () => {
    expect(formatServiceNumber('粤ICP备2026000123号', 1, 'app')).toBe('粤ICP备2026000123号-1A');
    expect(formatServiceNumber('粤ICP备2026000123号', 12, 'mini_program')).toBe('粤ICP备2026000123号-12X');
  });

  it('issues with the first abbreviation and keeps legacy subject numbers', () => {
    expect(formatServiceNumber('蜀ICP备2020000001号', 2, 'app')).toBe('川ICP备2020000001号-2A');
    expect(formatServiceNumber('京ICP备05012345号', 1, 'app')).toBe('京ICP备05012345号-1A');
    expect(formatServiceNumber('粤B2-20090059', 1626, 'mini_program')).toBe('粤B2-20090059-1626X');
    expect(formatServiceNumber('粤ICP备2026000001号', 1, 'website')).toBe('粤ICP备2026000001号-1');
    expect(formatServiceNumber('粤ICP备2026000001号', 4, 'quick_app')).toBe('粤ICP备2026000001号-4K');
  });

  it('rejects a malformed subject number or n', () => {
    expect(() => formatServiceNumber('粤ICP备2026000123号-1A', 2, 'app')).toThrow(RangeError);
    expect(() => formatServiceNumber('港ICP备2026000123号', 1, 'app')).toThrow(RangeError);
    expect(() => formatServiceNumber('粤ICP备2026000123号', 0, 'app')).toThrow(RangeError);
  });
});

describe('issuedSubjectNumber', () => {
  it('normalises abbreviation variants', () => {
    expect(issuedSubjectNumber('黔ICP备2021000007号')).toBe('黔ICP备2021000007号');
    expect(issuedSubjectNumber('贵ICP备2021000007号')).toBe('黔ICP备2021000007号');
    expect(issuedSubjectNumber('陇ICP备2021000007号')).toBe('甘ICP备2021000007号');
    expect(issuedSubjectNumber('ICP备2021000007号')).toBeUndefined();
  });
});

describe('parseRegistrationNumber', () => {
  it('parses a subject number', () => {
    expect(parseRegistrationNumber('粤ICP备2026000123号')).toEqual({
      ok: true,
      number: {
        provinceCode: '440000',
        year: 2026,
        sequence: 123,
        subjectNumber: '粤ICP备2026000123号',
        format: 'icp',
      },
    });
  });

  it('parses a licence-style subject number and a service under it', () => {
    const parsed = parseRegistrationNumber('粤B2-20090059-1626X');
    expect(parsed.ok && parsed.number).toEqual({
      provinceCode: '440000',
      year: 2009,
      sequence: 59,
      subjectNumber: '粤B2-20090059',
      format: 'licence',
      service: { n: 1626, serviceType: 'mini_program', serviceNumber: '粤B2-20090059-1626X' },
    });
    expect(parseRegistrationNumber('粤B2-20090059').ok).toBe(true);
  });

  it('reads every service type from its suffix: website none, app A, mini program X, quick app K', () => {
    for (const [text, serviceType] of [
      ['粤ICP备2026000123号-1', 'website'],
      ['粤ICP备2026000123号-2A', 'app'],
      ['粤ICP备2026000123号-3X', 'mini_program'],
      ['粤ICP备2026000123号-4K', 'quick_app'],
    ] as const) {
      const parsed = parseRegistrationNumber(text);
      expect(parsed.ok && parsed.number.service).toEqual({
        n: Number(text.split('-')[1]?.replace(/\D/g, '')),
        serviceType,
        serviceNumber: text,
      });
    }
  });

  it('parses a service number of either type', () => {
    const app = parseRegistrationNumber('粤ICP备2026000123号-2A');
    expect(app.ok && app.number.service).toEqual({
      n: 2,
      serviceType: 'app',
      serviceNumber: '粤ICP备2026000123号-2A',
    });
    const miniProgram = parseRegistrationNumber('粤ICP备2026000123号-15X');
    expect(miniProgram.ok && miniProgram.number.service).toEqual({
      n: 15,
      serviceType: 'mini_program',
      serviceNumber: '粤ICP备2026000123号-15X',
    });
  });

  it('accepts both abbreviation variants and reports the issued form', () => {
    for (const [text, provinceCode, issued] of [
      ['川ICP备2020000001号', '510000', '川ICP备2020000001号'],
      ['蜀ICP备2020000001号', '510000', '川ICP备2020000001号'],
      ['云ICP备2020000001号-1X', '530000', '滇ICP备2020000001号'],
      ['陇ICP备2020000001号', '620000', '甘ICP备2020000001号'],
    ] as const) {
      const parsed = parseRegistrationNumber(text);
      expect(parsed.ok && [parsed.number.provinceCode, parsed.number.subjectNumber]).toEqual([
        provinceCode,
        issued,
      ]);
    }
    const service = parseRegistrationNumber('蜀ICP备2020000001号-3A');
    expect(service.ok && service.number.service?.serviceNumber).toBe('川ICP备2020000001号-3A');
  });

  it('reads the two-digit year of older numbers', () => {
    const parsed = parseRegistrationNumber('京ICP备05012345号');
    expect(parsed.ok && parsed.number).toMatchObject({ year: 2005, sequence: 12_345, format: 'icp_legacy' });
  });

  it('ignores surrounding whitespace', () => {
    expect(parseRegistrationNumber('  粤ICP备2026000123号-1A\n').ok).toBe(true);
  });

  it.each<[string, RegistrationNumberProblem, RegExp]>([
    ['', 'format', /not shaped like/],
    ['粤ICP备2026000123', 'format', /not shaped like/],
    ['粤ICP证2026000123号', 'format', /not shaped like/],
    ['粤ICP备202600012号', 'format', /4-digit year and a 6-digit sequence/],
    ['粤B2-2009005', 'format', /not shaped like/],
    ['粤B2-200900590', 'format', /not shaped like/],
    ['港ICP备2026000123号', 'province', /31 provinces/],
    ['粤ICP备1999000123号', 'year', /before 2000/],
    ['粤ICP备2026000000号', 'sequence', /000000/],
    ['粤ICP备2026000123号-1B', 'service', /none of A \(app\), X \(mini program\), K \(quick app\)/],
    ['粤ICP备2026000123号-0A', 'service', /not a service part/],
    ['粤ICP备2026000123号-01A', 'service', /not a service part/],
    ['粤ICP备2026000123号-1a', 'service', /not a service part/],
    ['粤ICP备2026000123号-', 'service', /not a service part/],
    ['粤ICP备2026000123号-1A-2A', 'service', /not a service part/],
  ])('rejects %j as %s', (text, expectedProblem, reason) => {
    const parsed = parseRegistrationNumber(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem).toBe(expectedProblem);
      expect(parsed.reason).toMatch(reason);
    }
  });

  it('round-trips what it formats', () => {
    for (const sequence of [1, 42, 123_456, 999_999]) {
      const subject = formatSubjectNumber({ provinceCode: '650000', year: 2031, sequence });
      const parsed = parseRegistrationNumber(formatServiceNumber(subject, 7, 'mini_program'));
      expect(parsed.ok && parsed.number).toEqual({
        provinceCode: '650000',
        year: 2031,
        sequence,
        subjectNumber: subject,
        format: 'icp',
        service: { n: 7, serviceType: 'mini_program', serviceNumber: `${subject}-7X` },
      });
    }
  });
});
