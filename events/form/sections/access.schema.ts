import { ACCESS_METHODS } from '../registration-form';
import { canonicalIpAddress, ipAddressFindings } from '../checks/network-checks';
import { provinceCodeFindings } from '../checks/place-checks';
import { choice } from '../schema/choice';
import { list } from '../schema/list';
import { field, record } from '../schema/record';
import { text } from '../schema/text';

/** 接入信息: where the service's servers are connected. */
export const accessSchema = record({
  ispName: field(text({ max: 100 })),
  accessMethod: field(choice(ACCESS_METHODS)),
  serverLocation: field(text({ max: 16, check: provinceCodeFindings })),
  ipAddresses: field(
    list(text({ max: 64, check: ipAddressFindings }), {
      min: 1,
      max: 50,
      unique: { key: canonicalIpAddress },
    }),
  ),
});
