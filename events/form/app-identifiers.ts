/** Shapes of the identifiers that describe an app or mini program on the registration form. */

/** Android applicationId / HarmonyOS bundleName: at least two dot-separated parts, each starting with a letter. */
const PACKAGE_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
/** iOS CFBundleIdentifier in reverse-DNS form: letters, digits and hyphens, at least two parts. */
const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const MD5_HEX = /^[0-9A-Fa-f]{32}$/;
const SHA1_HEX = /^[0-9A-Fa-f]{40}$/;
const HEX = /^[0-9A-Fa-f]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MIN_PUBLIC_KEY_LENGTH = 64;
/** WeChat `wx…`, Alipay and Baidu numeric or alphanumeric ids, Douyin `tt…`: one generic shape. */
const MINI_PROGRAM_ID = /^[A-Za-z0-9_-]{4,64}$/;
/** The BCP 47 subset the form uses: language, optional script, optional region (zh-Hans-CN). */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z]{4})?(-([a-z]{2}|\d{3}))?$/i;

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
  if (value.length < MIN_PUBLIC_KEY_LENGTH) return false;
  return HEX.test(value) || (BASE64.test(value) && value.length % 4 === 0);
}

export function isMiniProgramId(value: string): boolean {
  return MINI_PROGRAM_ID.test(value);
}

export function isLanguageTag(value: string): boolean {
  return LANGUAGE_TAG.test(value);
}
