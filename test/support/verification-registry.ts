import type { EventLog } from '../../events/ports/event-log.port';
import { serviceStreamId } from '../../events/registry/registry-streams';
import {
  registryRecorded,
  serviceRegistered,
  subjectRegistered,
  subjectStreamIdOf,
  toAppend,
} from './registry-fixtures';

export const VERIFY_SUBJECT = '粤ICP备2026000001号';

/**
 * A registry a third party checks against: an app (`-1A`: package com.example.maps signed with
 * MD5 a…a, bundle com.example.maps.ios signed with SHA-1 b…b, domain maps.example.com), a mini program
 * (`-2X`: wx0123456789abcdef on 微信), a quick app (`-3K`), an app whose only ISP withdrew its access
 * (`-4A`, com.example.album) and a cancelled one (`-5A`, com.example.weather).
 */
export async function seedVerificationRegistry(log: EventLog): Promise<void> {
  const append = async (recorded: ReturnType<typeof registryRecorded>) =>
    log.appendToStream(recorded.streamId, [toAppend(recorded, crypto.randomUUID())], {
      expectedRevision: 'any',
    });
  const subjectStream = subjectStreamIdOf('440000');
  await append(
    registryRecorded(
      subjectStream,
      'SubjectRegistered',
      subjectRegistered({ subjectNumber: VERIFY_SUBJECT }),
    ),
  );
  const on = (n: string, type: Parameters<typeof registryRecorded>[1], data: object) =>
    registryRecorded(serviceStreamId(`${VERIFY_SUBJECT}-${n}`), type, data as never);
  const registered = (n: string, overrides: Parameters<typeof serviceRegistered>[0]) =>
    on(
      n,
      'ServiceRegistered',
      serviceRegistered({ serviceNumber: `${VERIFY_SUBJECT}-${n}`, filingId: `f-${n}`, ...overrides }),
    );
  const app = (packageName: string) => ({
    packages: [{ os: 'android' as const, packageName, signatureMd5: 'c'.repeat(32) }],
    bundles: [],
    domains: [],
  });
  await append(registered('1A', {}));
  await append(
    registered('2X', {
      serviceType: 'mini_program',
      name: '示例地图小程序',
      identifiers: {
        packages: [],
        bundles: [],
        miniProgram: { miniProgramId: 'wx0123456789abcdef', hostApp: '微信' },
        domains: [],
      },
    }),
  );
  await append(
    registered('3K', {
      serviceType: 'quick_app',
      name: '示例快应用',
      identifiers: { packages: [], bundles: [], quickAppPackage: 'com.example.quick', domains: [] },
    }),
  );
  await append(
    registered('4A', {
      name: '示例相册',
      identifiers: app('com.example.album'),
      accesses: [{ ispName: '阿里云', filingId: 'f-4A' }],
    }),
  );
  await append(
    on('4A', 'ServiceAccessWithdrawn', {
      withdrawalId: 'w-4A',
      ispName: '阿里云',
      reason: '合同到期',
      withdrawnOn: '2026-12-03',
    }),
  );
  await append(registered('5A', { name: '示例天气', identifiers: app('com.example.weather') }));
  await append(
    on('5A', 'ServiceCancelled', { filingId: 'f-5A-x', cancelledOn: '2026-12-04', scope: 'service' }),
  );
}
