/** Shapes of the identifiers that describe an app or mini program on the registration form. */

/** Android applicationId / HarmonyOS bundleName: at least two dot-separated parts, each starting with a letter. */
export const PACKAGE_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
/** iOS CFBundleIdentifier in reverse-DNS form: letters, digits and hyphens, at least two parts. */
export const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
export const MD5_HEX = /^[0-9A-Fa-f]{32}$/;
export const SHA1_HEX = /^[0-9A-Fa-f]{40}$/;
/**
 * A signing public key as the filing tools print it: at least 64 hexadecimal digits, or Base64 of at
 * least 64 characters (whole 4-character groups, the last padded with at most two `=`).
 */
export const PUBLIC_KEY =
  /^(?:[0-9A-Fa-f]{64,}|(?:[A-Za-z0-9+/]{4}){15,}(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==))$/;
/** WeChat `wx…`, Alipay and Baidu numeric or alphanumeric ids, Douyin `tt…`: one generic shape. */
export const MINI_PROGRAM_ID = /^[A-Za-z0-9_-]{4,64}$/;
/** The BCP 47 subset the form uses: language, optional script, optional region (zh-Hans-CN). */
export const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?$/;

export function isPackageName(value: string): boolean {
  return PACKAGE_NAME.test(value);
}

export function isBundleId(value: string): boolean {
  return BUNDLE_ID.test(value);
}

export function isMd5Fingerprint(value: string): boolean {
  return MD5_HEX.test(value);
}

export function isSha1Fingerprint(value: string): boolean {
  return SHA1_HEX.test(value);
}

/** The signing certificate's public key as the filing tools print it: hexadecimal or Base64. */
export function isPublicKeyText(value: string): boolean {
  return PUBLIC_KEY.test(value);
}

export function isMiniProgramId(value: string): boolean {
  return MINI_PROGRAM_ID.test(value);
}

export function isLanguageTag(value: string): boolean {
  return LANGUAGE_TAG.test(value);
}
