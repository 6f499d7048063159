import { domainFindings } from '../checks/network-checks';
import { languageFindings, miniProgramIdFindings } from '../checks/app-checks';
import { list } from '../schema/list';
import { field, optionalField, record } from '../schema/record';
import { text } from '../schema/text';
import { platformSchema } from './platform.schema';
import { preApprovalsSchema } from './pre-approvals.schema';

const sdkSchema = record({
  name: field(text({ max: 100 })),
  provider: field(text({ max: 100 })),
});

const lowerCase = (value: string): string => value.toLowerCase();

/**
 * 服务信息: the app or mini program itself. `platforms` belongs to apps, `hostApp` and
 * `miniProgramId` to mini programs; the form-level rules enforce which.
 */
export const appSchema = record({
  name: field(text({ max: 64 })),
  serviceContent: field(text({ max: 500 })),
  languages: field(
    list(text({ max: 35, check: languageFindings }), { min: 1, max: 10, unique: { key: lowerCase } }),
  ),
  platforms: optionalField(
    list(platformSchema, { min: 1, max: 3, unique: { key: (platform) => platform.os, at: ['os'] } }),
  ),
  hostApp: optionalField(text({ max: 50 })),
  miniProgramId: optionalField(text({ max: 64, check: miniProgramIdFindings })),
  domains: field(list(text({ max: 253, check: domainFindings }), { max: 50, unique: { key: lowerCase } })),
  sdks: field(
    list(sdkSchema, { max: 100, unique: { key: (sdk) => `${sdk.provider}\u0000${sdk.name}`.toLowerCase() } }),
  ),
  preApprovals: field(preApprovalsSchema),
});
