import type { InventoryLineRecord } from '../../ports/compliance-store.port';
import { serviceStreamId } from '../../registry/registry-streams';
import { registryAfter } from '../../../test/support/registry-rows';
import {
  registryRecorded,
  serviceRegistered,
  subjectRegistered,
  subjectStreamIdOf,
} from '../../../test/support/registry-fixtures';
import { findingsOf, identifierText, registeredSince, verificationRequestOf } from './inspection-findings';

const SUBJECT = '粤ICP备2026000001号';
const MAPS = `${SUBJECT}-1A`;
const app = (packageName: string) => ({
  packages: [{ os: 'android' as const, packageName, signatureMd5: 'c'.repeat(32) }],
  bundles: [],
  domains: [],
});
const { services } = registryAfter([
  registryRecorded(
    subjectStreamIdOf('440000'),
    'SubjectRegistered',
    subjectRegistered({ subjectNumber: SUBJECT }),
  ),
  registryRecorded(serviceStreamId(MAPS), 'ServiceRegistered', serviceRegistered({ serviceNumber: MAPS })),
  registryRecorded(
    serviceStreamId(`${SUBJECT}-4A`),
    'ServiceRegistered',
    serviceRegistered({
      serviceNumber: `${SUBJECT}-4A`,
      identifiers: app('com.example.album'),
      accesses: [{ ispName: '阿里云', filingId: 'f-4A' }],
    }),
  ),
  registryRecorded(serviceStreamId(`${SUBJECT}-4A`), 'ServiceAccessWithdrawn', {
    withdrawalId: 'w-4A',
    ispName: '阿里云',
    reason: '合同到期',
    withdrawnOn: '2026-12-03',
  }),
  registryRecorded(
    serviceStreamId(`${SUBJECT}-5A`),
    'ServiceRegistered',
    serviceRegistered({ serviceNumber: `${SUBJECT}-5A`, identifiers: app('com.example.weather') }),
  ),
  registryRecorded(serviceStreamId(`${SUBJECT}-5A`), 'ServiceCancelled', {
    filingId: 'f-5A-x',
    cancelledOn: '2026-12-04',
    scope: 'service',
  }),
]);

/** Each line against the services carrying its identifier, as the activity looks them up. */
function carryingOf(lines: readonly InventoryLineRecord[]) {
  const carrying = new Map<string, typeof services>();
  for (const line of lines) {
    const request = verificationRequestOf(line);
    // verify() keeps only the rows carrying the identifier: every row may be handed over.
    carrying.set(identifierText(request), services);
  }
  return carrying;
}

const line = (lineNo: number, fields: Partial<InventoryLineRecord>): InventoryLineRecord => ({
  lineNo,
  kind: 'package',
  value: 'com.example.maps',
  province: '440000',
  statusAtReport: 'registered',
  ...fields,
});
const CHECKED_AT = '2026-12-07T02:00:00.000Z';

describe('findings of an inventory re-checked against the registry', () => {
  it('lists each kind of problem in line order, and no registered line', () => {
    const lines = [
      line(5, { value: 'com.example.weather' }),
      line(1, { signatureMd5: 'A'.repeat(32) }),
      line(2, { value: 'com.example.unknown', name: '未备案' }),
      line(3, { signatureMd5: 'e'.repeat(32) }),
      line(4, { value: 'com.example.album' }),
    ];
    expect(findingsOf(lines, carryingOf(lines), CHECKED_AT)).toEqual([
      {
        findingId: 'f1',
        lineNo: 2,
        kind: 'package',
        value: 'com.example.unknown',
        name: '未备案',
        problem: 'unregistered',
      },
      {
        findingId: 'f2',
        lineNo: 3,
        kind: 'package',
        value: 'com.example.maps',
        signatureMd5: 'e'.repeat(32),
        problem: 'mismatched',
        serviceNumber: MAPS,
      },
      {
        findingId: 'f3',
        lineNo: 4,
        kind: 'package',
        value: 'com.example.album',
        problem: 'withdrawn_but_served',
        serviceNumber: `${SUBJECT}-4A`,
      },
      {
        findingId: 'f4',
        lineNo: 5,
        kind: 'package',
        value: 'com.example.weather',
        problem: 'cancelled_but_served',
        serviceNumber: `${SUBJECT}-5A`,
      },
    ]);
  });

  it('accepts registered_since only with a registered service carrying exactly the identifier', () => {
    const finding = { kind: 'package', value: 'com.example.maps', signatureMd5: 'a'.repeat(32) } as const;
    expect(registeredSince(finding, MAPS, services, CHECKED_AT)).toBe(true);
    expect(registeredSince({ ...finding, signatureMd5: 'e'.repeat(32) }, MAPS, services, CHECKED_AT)).toBe(
      false,
    );
    expect(registeredSince(finding, `${SUBJECT}-5A`, services, CHECKED_AT)).toBe(false);
    expect(
      registeredSince(
        { kind: 'package', value: 'com.example.weather' },
        `${SUBJECT}-5A`,
        services,
        CHECKED_AT,
      ),
    ).toBe(false);
  });
});
