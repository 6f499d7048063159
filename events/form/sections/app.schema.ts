import { domainCheck } from '../checks/network-checks';
import { languageCheck, miniProgramIdCheck, packageNameCheck } from '../checks/app-checks';
import { list } from '../schema/list';
import { field, optionalField, record } from '../schema/record';
import { text } from '../schema/text';
import { platformSchema } from './platform.schema';
import { preApprovalsSchema } from './pre-approvals.schema';

const sdkSchema = record({
  name: field(text({ max: 100 })),
  provider: field(text({ max: 100 })),
});

const ignoringCase = {
  key: (value: string): string => value.toLowerCase(),
  describe: 'no item twice, ignoring case',
};

/**
 * 服务信息: the app, mini program or quick app itself. `platforms` belongs to apps, `hostApp` and
 * `miniProgramId` to mini programs, `quickAppPackage` to quick apps; the form-level rules enforce which.
 */
export const appSchema = record({
  name: field(text({ max: 64 })),
  serviceContent: field(text({ max: 500 })),
  languages: field(list(text({ max: 35, check: languageCheck }), { min: 1, max: 10, unique: ignoringCase })),
  platforms: optionalField(
    list(platformSchema, {
      min: 1,
      max: 3,
      unique: { key: (platform) => platform.os, at: ['os'], describe: 'one platform per os' },
    }),
  ),
  hostApp: optionalField(text({ max: 50 })),
  miniProgramId: optionalField(text({ max: 64, check: miniProgramIdCheck })),
  quickAppPackage: optionalField(text({ max: 255, check: packageNameCheck })),
  domains: field(list(text({ max: 253, check: domainCheck }), { max: 50, unique: ignoringCase })),
  sdks: field(
    list(sdkSchema, {
      max: 100,
      unique: {
        key: (sdk) => `${sdk.provider}\u0000${sdk.name}`.toLowerCase(),
        describe: 'no provider and name twice, ignoring case',
      },
    }),
  ),
  preApprovals: field(preApprovalsSchema),
});
