/**
 * Layout checks for identity documents other than the resident identity card. These documents
 * carry no public check digit, so only their shape can be verified.
 */

/** Passport numbers: 5–17 upper-case letters and digits (Chinese passports: E/G + 8 characters). */
export const PASSPORT = /^[A-Z0-9]{5,17}$/;
/** 港澳居民来往内地通行证: H (Hong Kong) or M (Macao) followed by 8 or 10 digits. */
export const HK_MACAO_PERMIT = /^[HM]\d{8}(\d{2})?$/;
/** 台湾居民来往大陆通行证: 8 digits (card form since 2015). */
export const TAIWAN_PERMIT = /^\d{8}$/;
/** 外国人永久居留身份证: 3 letters + 12 digits (2017) or 18 characters starting with 9 (2023). */
export const FOREIGN_PERMANENT_RESIDENCE = /^([A-Z]{3}\d{12}|9\d{16}[\dX])$/;

export function isPassportNumber(value: string): boolean {
  return PASSPORT.test(value);
}

export function isHongKongMacaoPermitNumber(value: string): boolean {
  return HK_MACAO_PERMIT.test(value);
}

export function isTaiwanPermitNumber(value: string): boolean {
  return TAIWAN_PERMIT.test(value);
}

export function isForeignPermanentResidenceNumber(value: string): boolean {
  return FOREIGN_PERMANENT_RESIDENCE.test(value);
}
