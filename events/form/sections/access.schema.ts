import { ACCESS_METHODS } from '../registration-form';
import { canonicalIpAddress, ipAddressCheck } from '../checks/network-checks';
import { provinceCodeCheck } from '../checks/place-checks';
import { choice } from '../schema/choice';
import { list } from '../schema/list';
import { field, record } from '../schema/record';
import { text } from '../schema/text';

/** 接入信息: where the service's servers are connected. */
export const accessSchema = record({
  ispName: field(text({ max: 100 })),
  accessMethod: field(choice(ACCESS_METHODS)),
  serverLocation: field(text({ max: 16, check: provinceCodeCheck })),
  ipAddresses: field(
    list(text({ max: 64, check: ipAddressCheck }), {
      min: 1,
      max: 50,
      unique: {
        key: canonicalIpAddress,
        describe: 'no address twice, however written (2400:3200::1 = 2400:3200:0:0::1)',
      },
    }),
  ),
});
