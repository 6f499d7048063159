import {
  BUNDLE_ID,
  LANGUAGE_TAG,
  MD5_HEX,
  MINI_PROGRAM_ID,
  PACKAGE_NAME,
  PUBLIC_KEY,
  SHA1_HEX,
} from '../app-identifiers';
import { patternCheck } from '../schema/text-check';

export const packageNameCheck = patternCheck(
  PACKAGE_NAME,
  'package_name_format',
  'must be a package name such as com.example.app: dot-separated parts that start with a letter and hold letters, digits or underscores',
);

export const bundleIdCheck = patternCheck(
  BUNDLE_ID,
  'bundle_id_format',
  'must be a bundle ID such as com.example.app: dot-separated parts of letters, digits or hyphens',
);

export const md5Check = patternCheck(
  MD5_HEX,
  'md5_format',
  'must be the MD5 fingerprint of the signing certificate as 32 hexadecimal digits, without colons',
);

export const sha1Check = patternCheck(
  SHA1_HEX,
  'sha1_format',
  'must be the SHA-1 fingerprint of the signing certificate as 40 hexadecimal digits, without colons',
);

export const publicKeyCheck = patternCheck(
  PUBLIC_KEY,
  'public_key_format',
  'must be the signing public key in hexadecimal or Base64, at least 64 characters long',
);

export const miniProgramIdCheck = patternCheck(
  MINI_PROGRAM_ID,
  'mini_program_id_format',
  'must be the ID the host app issued: 4 to 64 letters, digits, underscores or hyphens',
);

export const languageCheck = patternCheck(
  LANGUAGE_TAG,
  'language_format',
  'must be a BCP 47 language tag such as zh-Hans or en',
);
