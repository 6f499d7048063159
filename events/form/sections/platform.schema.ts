import { assertNever } from '../../assert-never';
import { type OperatingSystem, OPERATING_SYSTEMS } from '../registration-form';
import { bundleIdCheck, md5Check, packageNameCheck, publicKeyCheck, sha1Check } from '../checks/app-checks';
import { choice } from '../schema/choice';
import { fieldsByChoice } from '../schema/fields-by-choice';
import { field, optionalField, record } from '../schema/record';
import { text } from '../schema/text';

const platformShape = {
  os: field(choice(OPERATING_SYSTEMS)),
  /** Android and HarmonyOS. */
  packageName: optionalField(text({ max: 255, check: packageNameCheck })),
  /** iOS. */
  bundleId: optionalField(text({ max: 155, check: bundleIdCheck })),
  publicKey: field(text({ max: 4096, check: publicKeyCheck })),
  /** Android and HarmonyOS. */
  signatureMd5: optionalField(text({ max: 64, check: md5Check })),
  /** iOS. */
  signatureSha1: optionalField(text({ max: 64, check: sha1Check })),
};

type PlatformField = keyof typeof platformShape;

function fieldsFor(os: OperatingSystem): {
  needed: readonly PlatformField[];
  notAllowed: readonly PlatformField[];
} {
  switch (os) {
    case 'android':
    case 'harmony':
      return { needed: ['packageName', 'signatureMd5'], notAllowed: ['bundleId', 'signatureSha1'] };
    case 'ios':
      return { needed: ['bundleId', 'signatureSha1'], notAllowed: ['packageName', 'signatureMd5'] };
    default:
      return assertNever(os, 'operating system');
  }
}

const OS_NAMES: Readonly<Record<OperatingSystem, string>> = {
  android: 'Android',
  ios: 'iOS',
  harmony: 'HarmonyOS',
};

/** Android and HarmonyOS identify by package name and MD5, iOS by bundle ID and SHA-1. */
const identifiersMatchOs = fieldsByChoice<typeof platformShape, OperatingSystem>({
  choice: 'os',
  values: OPERATING_SYSTEMS,
  fieldsFor,
  name: (os) => OS_NAMES[os],
  forbiddenRule: 'forbidden_for_os',
});

/** One operating system the app ships on, with its signing identity. */
export const platformSchema = record(platformShape, [identifiersMatchOs]);
