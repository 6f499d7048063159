import type { RegistrationForm } from '../../events/form/registration-form';

/** A registration form with its personal data masked: the same shape, the masked values as text. */
export type MaskedForm = { readonly [key: string]: MaskedValue };
export type MaskedValue = string | number | boolean | null | readonly MaskedValue[] | MaskedForm;

/** The character that stands for a hidden one (as the console's auditor view, `console/mask.js`). */
export const MASK = '*';

/** Fields that hold a person's document or phone number, wherever they appear. */
const LAST_FOUR_KEYS: ReadonlySet<string> = new Set(['idNumber', 'mobile', 'emergencyContact', 'phone']);

/** `110105199207150043` → `**************0043`; a value of 4 characters or fewer is hidden whole. */
export function maskToLastFour(value: string): string {
  const chars = [...value];
  if (chars.length <= 4) return MASK.repeat(chars.length);
  return MASK.repeat(chars.length - 4) + chars.slice(-4).join('');
}

/** `lisi@example.com` → `****@example.com`: the mailbox hidden (one star a character), the domain kept. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return maskToLastFour(value);
  return MASK.repeat(Math.max([...value.slice(0, at)].length, 1)) + value.slice(at);
}

/** A person's name: its first character (the family name, for most Chinese names) kept: `李四` → `李*`. */
export function maskPersonName(value: string): string {
  const chars = [...value];
  return chars.length <= 1 ? MASK.repeat(chars.length || 1) : chars[0] + MASK.repeat(chars.length - 1);
}

/** Free text about a person (an individual operator's home address): hidden whole. */
export function maskAll(value: string): string {
  return MASK.repeat([...value].length);
}

type Masker = (value: string) => string;

/** How the value under `key` of an object (itself under `parentKey`) is masked, or undefined to keep it. */
function maskerFor(key: string, parentKey: string | undefined, individual: boolean): Masker | undefined {
  if (LAST_FOUR_KEYS.has(key)) return maskToLastFour;
  if (key === 'email') return maskEmail;
  if (key === 'name' && parentKey !== undefined && /Principal$/.test(parentKey)) return maskPersonName;
  // An individual's certificate is a resident ID: masked as every ID number is.
  if (parentKey === 'operatorCertificate' && individual && key === 'number') return maskToLastFour;
  if (parentKey === 'operator' && individual) {
    if (key === 'name') return maskPersonName;
    if (key === 'address') return maskAll;
  }
  return undefined;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function maskValue(value: unknown, key: string | undefined, parentKey: string | undefined): MaskedValue {
  if (Array.isArray(value)) return value.map((item) => maskValue(item, undefined, key ?? parentKey));
  if (isObject(value)) {
    const individual =
      (key === 'operator' && value.nature === 'individual') ||
      (key === 'operatorCertificate' && value.type === 'resident_id');
    const masked: Record<string, MaskedValue> = {};
    for (const [name, inner] of Object.entries(value)) {
      const masker = maskerFor(name, key, individual);
      masked[name] =
        masker && inner !== null && inner !== undefined && !isObject(inner) && !Array.isArray(inner)
          ? masker(String(inner))
          : maskValue(inner, name, key);
    }
    return masked;
  }
  if (value === undefined) return null;
  return value as string | number | boolean | null;
}

/**
 * The registration form as a bureau reviewer sees it: what the review needs in clear, every piece of
 * a person's data masked. One rule, applied on the server before the form leaves it:
 *
 * - kept: the subject — an organisation's name, nature, unified social credit code, province, city and
 *   address, or an existing subject number —, the app or mini program (name, service content,
 *   languages, platforms and signatures, host app and mini-program id, domains, SDKs, pre-approvals),
 *   the access details, and of each person in charge the document type and validity date;
 * - document numbers, mobiles, phones and emergency contacts (`idNumber`, `mobile`, `phone`,
 *   `emergencyContact`, wherever they appear, an individual operator's too): every character but the
 *   last 4 becomes `*` (`110105199207150043` → `**************0043`, `+8613900139000` →
 *   `**********9000`); a value of 4 characters or fewer is hidden whole;
 * - e-mails (`email`): the mailbox becomes one `*` a character, the domain is kept
 *   (`lisi@example.com` → `****@example.com`);
 * - a person's name (a person in charge, `…Principal.name`, or an individual operator's name): the
 *   first character kept, the rest `*` (`李四` → `李*`);
 * - an individual operator's address: hidden whole (its province and city stay in clear).
 *
 * This agrees with the console's client-side masker (`console/mask.js`) wherever both mask a field,
 * and goes further for an individual operator. Pure; the form passed in is not changed.
 */
export function maskRegistrationForm(form: RegistrationForm): MaskedForm {
  return maskValue(form, undefined, undefined) as MaskedForm;
}
