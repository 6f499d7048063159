import { assertNever } from '../../assert-never';
import { type OperatingSystem, OPERATING_SYSTEMS } from '../registration-form';
import {
  bundleIdFindings,
  md5Findings,
  packageNameFindings,
  publicKeyFindings,
  sha1Findings,
} from '../checks/app-checks';
import { choice } from '../schema/choice';
import { field, isGiven, optionalField, record, type RecordFacts } from '../schema/record';
import { text } from '../schema/text';

const platformShape = {
  os: field(choice(OPERATING_SYSTEMS)),
  /** Android and HarmonyOS. */
  packageName: optionalField(text({ max: 255, check: packageNameFindings })),
  /** iOS. */
  bundleId: optionalField(text({ max: 155, check: bundleIdFindings })),
  publicKey: field(text({ max: 4096, check: publicKeyFindings })),
  /** Android and HarmonyOS. */
  signatureMd5: optionalField(text({ max: 64, check: md5Findings })),
  /** iOS. */
  signatureSha1: optionalField(text({ max: 64, check: sha1Findings })),
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
function identifiersMatchOs({ raw, parsed, path, context }: RecordFacts<typeof platformShape>): void {
  if (parsed.os === undefined) return;
  const { needed, notAllowed } = fieldsFor(parsed.os);
  const osName = OS_NAMES[parsed.os];
  for (const key of needed) {
    if (!isGiven(raw, key)) context.issues.report([...path, key], 'required', `is required for ${osName}`);
  }
  for (const key of notAllowed) {
    if (isGiven(raw, key)) {
      context.issues.report([...path, key], 'forbidden_for_os', `is not allowed for ${osName}`);
    }
  }
}

/** One operating system the app ships on, with its signing identity. */
export const platformSchema = record(platformShape, [identifiersMatchOs]);
