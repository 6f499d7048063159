/** Mainland mobile numbers: 11 digits starting 13–19, optionally written with +86. */
export const MOBILE = /^(\+86)?1[3-9]\d{9}$/;
/** Fixed-line numbers: area code 0xx or 0xxx, 7–8 digits, optional extension (010-12345678-123). */
export const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;

export function isMobileNumber(value: string): boolean {
  return MOBILE.test(value);
}

export function isLandlineNumber(value: string): boolean {
  return LANDLINE.test(value);
}

export function isPhoneNumber(value: string): boolean {
  return isMobileNumber(value) || isLandlineNumber(value);
}

/** The digits a person dials inside China: +86 and separators removed. */
export function normalisePhoneNumber(value: string): string {
  return value.replace(/^\+86/, '').replace(/-/g, '');
}
