/**
 * Unified Social Credit Codes (GB 32100-2015): 18 characters from a 31-character alphabet, the last
 * a check character. A wrong check character is only a warning: some codes issued early fail it.
 */

export type CreditCodeCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: 'format' }
  | { readonly ok: false; readonly problem: 'checksum'; readonly expected: string };

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
export const CREDIT_CODE_LAYOUT = new RegExp(`^[${CREDIT_CODE_ALPHABET}]{18}$`);

/** The check character for the first 17 characters: 31 − (Σ mod 31), with 31 written as 0. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i += 1)
    sum += CREDIT_CODE_ALPHABET.indexOf(first17.charAt(i)) * WEIGHTS[i];
  return CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

export function creditCodeCheck(code: string): CreditCodeCheck {
  if (!CREDIT_CODE_LAYOUT.test(code)) return { ok: false, problem: 'format' };
  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  return expected === code.charAt(17) ? { ok: true } : { ok: false, problem: 'checksum', expected };
}
