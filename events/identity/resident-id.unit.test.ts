import fc from 'fast-check';
import { gb11643CheckCharacter, residencePermitCheck, residentIdCheck } from './resident-id';

describe('residentIdCheck', () => {
  it.each(['11010519491231002X', '440305198503120036', '510107199004180020'])(
    'accepts %s (the GB 11643 example and the fixtures)',
    (id) => {
      expect(residentIdCheck(id).ok).toBe(true);
    },
  );

  it('reports the facts the number encodes', () => {
    expect(residentIdCheck('11010519491231002X')).toEqual({
      ok: true,
      areaCode: '110105',
      birthDate: '1949-12-31',
    });
  });

  it.each([
    ['1101051949123100', 'format'],
    ['11010519491231002x', 'format'],
    ['11010519491231002XX', 'format'],
    ['1101051949123100AX', 'format'],
    ['110105194912310021', 'checksum'],
  ])('%s → %s', (id, problem) => {
    expect(residentIdCheck(id)).toEqual({ ok: false, problems: [problem] });
  });

  it.each([
    ['99010519491231002', 'region'],
    ['71010519491231002', 'region'],
    ['11010519490230002', 'birth_date'],
    ['11010518991231002', 'birth_date'],
    // The second example in GB 11643 was born in 1880: plausible in 1999, not for a person in charge now.
    ['44052418800101001', 'birth_date'],
  ])('%s + its check character → %s', (first17, problem) => {
    const id = first17 + gb11643CheckCharacter(first17);
    expect(residentIdCheck(id)).toEqual({ ok: false, problems: [problem] });
  });

  it('reports every problem at once', () => {
    expect(residentIdCheck('990105194902300021')).toEqual({
      ok: false,
      problems: ['region', 'birth_date', 'checksum'],
    });
  });

  it('refuses a birth date after notBornAfter', () => {
    const id = `1101052025060200${'1'}`;
    const full = id + gb11643CheckCharacter(id);
    expect(residentIdCheck(full, { notBornAfter: '2025-06-02' }).ok).toBe(true);
    expect(residentIdCheck(full, { notBornAfter: '2025-06-01' })).toEqual({
      ok: false,
      problems: ['birth_date'],
    });
  });

  const validIds = fc
    .tuple(
      fc.constantFrom('110105', '310104', '440305', '510107', '650102'),
      fc.date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2020-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([area, birth, sequence]) => {
      const first17 = `${area}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
      return first17 + gb11643CheckCharacter(first17);
    });

  it('accepts every number built with the right check character', () => {
    fc.assert(fc.property(validIds, (id) => residentIdCheck(id).ok));
  });

  it('catches any single changed digit among the first 17', () => {
    fc.assert(
      fc.property(
        validIds,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (id, position, shift) => {
          const digit = (Number(id[position]) + shift) % 10;
          const changed = id.slice(0, position) + digit + id.slice(position + 1);
          const check = residentIdCheck(changed);
          return !check.ok && check.problems.includes('checksum');
        },
      ),
    );
  });

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => typeof residentIdCheck(text).ok === 'boolean'),
    );
  });
});

describe('residencePermitCheck', () => {
  it('accepts the 810000/820000/830000 area codes only', () => {
    expect(residencePermitCheck('810000198811090052').ok).toBe(true);
    expect(residencePermitCheck('110000198811090057')).toEqual({ ok: false, problems: ['region'] });
    expect(residentIdCheck('810000198811090052')).toEqual({ ok: false, problems: ['region'] });
  });
});
