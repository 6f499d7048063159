import {
  isBundleId,
  isLanguageTag,
  isMd5Fingerprint,
  isMiniProgramId,
  isPackageName,
  isPublicKeyText,
  isSha1Fingerprint,
} from '../app-identifiers';
import type { FormRule } from '../form-rules';
import type { Finding } from '../schema/form-issues';

type Check = (value: string) => readonly Finding[];

function shapeCheck(accepts: (value: string) => boolean, rule: FormRule, message: string): Check {
  const findings: readonly Finding[] = [{ rule, message }];
  return (value) => (accepts(value) ? [] : findings);
}

export const packageNameFindings = shapeCheck(
  isPackageName,
  'package_name_format',
  'must be a package name such as com.example.app: dot-separated parts that start with a letter and hold letters, digits or underscores',
);

export const bundleIdFindings = shapeCheck(
  isBundleId,
  'bundle_id_format',
  'must be a bundle ID such as com.example.app: dot-separated parts of letters, digits or hyphens',
);

export const md5Findings = shapeCheck(
  isMd5Fingerprint,
  'md5_format',
  'must be the MD5 fingerprint of the signing certificate as 32 hexadecimal digits, without colons',
);

export const sha1Findings = shapeCheck(
  isSha1Fingerprint,
  'sha1_format',
  'must be the SHA-1 fingerprint of the signing certificate as 40 hexadecimal digits, without colons',
);

export const publicKeyFindings = shapeCheck(
  isPublicKeyText,
  'public_key_format',
  'must be the signing public key in hexadecimal or Base64, at least 64 characters long',
);

export const miniProgramIdFindings = shapeCheck(
  isMiniProgramId,
  'mini_program_id_format',
  'must be the ID the host app issued: 4 to 64 letters, digits, underscores or hyphens',
);

export const languageFindings = shapeCheck(
  isLanguageTag,
  'language_format',
  'must be a BCP 47 language tag such as zh-Hans or en',
);
