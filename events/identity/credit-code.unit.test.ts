import fc from 'fast-check';
import { CREDIT_CODE_ALPHABET, creditCodeCheck, creditCodeCheckCharacter } from './credit-code';

describe('creditCodeCheck', () => {
  it.each(['91350100M000100Y43', '91440300MA5G2K8L3X', '91310104MA1FR6PN27', '12100000400000624D'])(
    'accepts %s',
    (code) => {
      expect(creditCodeCheck(code)).toEqual({ ok: true });
    },
  );

  it('computes 31 − (Σ mod 31) and writes 31 as 0', () => {
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
    // Σ mod 31 = 0 for an all-zero body, so the check value 31 is written as 0.
    expect(creditCodeCheckCharacter('00000000000000000')).toBe('0');
  });

  it.each([
    ['91440300MA5G2K8L3', 'short'],
    ['91440300MA5G2K8L3XX', 'long'],
    ['91440300MA5G2K8LOX', 'letter O'],
    ['91440300MA5G2K8LIX', 'letter I'],
    ['91440300ma5g2k8l3x', 'lower case'],
    ['91440300MA5G2K8L3 ', 'space'],
  ])('%s (%s) is a format error', (code) => {
    expect(creditCodeCheck(code)).toEqual({ ok: false, problem: 'format' });
  });

  it('reports a wrong check character as a checksum problem, with the expected one', () => {
    expect(creditCodeCheck('91440300MA5G2K8L30')).toEqual({ ok: false, problem: 'checksum', expected: 'X' });
  });

  it('catches any single changed character', () => {
    const codes = fc
      .array(fc.constantFrom(...CREDIT_CODE_ALPHABET), { minLength: 17, maxLength: 17 })
      .map((chars) => chars.join(''))
      .map((body) => body + creditCodeCheckCharacter(body));
    fc.assert(
      fc.property(
        codes,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 30 }),
        (code, position, shift) => {
          expect(creditCodeCheck(code)).toEqual({ ok: true });
          const replaced =
            CREDIT_CODE_ALPHABET[(CREDIT_CODE_ALPHABET.indexOf(code.charAt(position)) + shift) % 31];
          const changed = code.slice(0, position) + replaced + code.slice(position + 1);
          expect(creditCodeCheck(changed)).toMatchObject({ ok: false, problem: 'checksum' });
        },
      ),
    );
  });
});
