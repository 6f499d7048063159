import type { RegistryServiceRow } from '../ports/read-models.port';
import { identifierKeyOf, verify } from './verification';

const AT = '2026-12-07T10:00:00.000Z';
const MD5 = 'a'.repeat(32);
const SHA1 = 'b'.repeat(40);

function service(overrides: Partial<RegistryServiceRow> = {}): RegistryServiceRow {
  return {
    serviceNumber: '粤ICP备2026000001号-1A',
    subjectNumber: '粤ICP备2026000001号',
    sequence: 1,
    serviceType: 'app',
    name: '示例地图',
    operatorName: '广州示例地图有限公司',
    identifiers: {
      packages: [{ os: 'android', packageName: 'com.example.maps', signatureMd5: MD5 }],
      bundles: [{ bundleId: 'com.example.maps.ios', signatureSha1: SHA1 }],
      domains: ['maps.example.com'],
    },
    preApprovalCategories: [],
    approvedOn: '2026-12-01',
    status: 'active',
    version: 1,
    source: 'registry',
    ...overrides,
  };
}

const PUBLIC = {
  serviceNumber: '粤ICP备2026000001号-1A',
  serviceName: '示例地图',
  operatorName: '广州示例地图有限公司',
  checkedAt: AT,
};

describe('verify: a third party’s question, answered from the services carrying the identifier', () => {
  it('answers registered for an active service, with its public facts only', () => {
    const answer = verify({ kind: 'package', value: 'com.example.maps' }, [service()], AT);
    expect(answer).toEqual({ status: 'registered', ...PUBLIC });
  });

  it('answers not_registered when no service carries the identifier', () => {
    expect(verify({ kind: 'domain', value: 'nope.example.com' }, [], AT)).toEqual({
      status: 'not_registered',
      checkedAt: AT,
    });
  });

  it('checks the signing key of a package and of a bundle, in any case', () => {
    const rows = [service()];
    expect(
      verify({ kind: 'package', value: 'com.example.maps', signatureMd5: MD5.toUpperCase() }, rows, AT),
    ).toMatchObject({ status: 'registered' });
    expect(
      verify({ kind: 'bundle', value: 'com.example.maps.ios', signatureSha1: SHA1 }, rows, AT),
    ).toMatchObject({
      status: 'registered',
    });
  });

  it('answers identifier_mismatch, never registered, for a package under another signing key', () => {
    const rows = [service()];
    expect(
      verify({ kind: 'package', value: 'com.example.maps', signatureMd5: 'c'.repeat(32) }, rows, AT),
    ).toEqual({
      status: 'identifier_mismatch',
      ...PUBLIC,
    });
    expect(
      verify({ kind: 'bundle', value: 'com.example.maps.ios', signatureSha1: 'd'.repeat(40) }, rows, AT),
    ).toMatchObject({ status: 'identifier_mismatch' });
  });

  it('answers identifier_mismatch for a mini program under another host app', () => {
    const rows = [
      service({
        serviceType: 'mini_program',
        identifiers: {
          packages: [],
          bundles: [],
          miniProgram: { miniProgramId: 'wx01', hostApp: '微信' },
          domains: [],
        },
      }),
    ];
    expect(verify({ kind: 'mini_program', value: 'wx01', hostApp: '微信' }, rows, AT).status).toBe(
      'registered',
    );
    expect(verify({ kind: 'mini_program', value: 'wx01' }, rows, AT).status).toBe('registered');
    expect(verify({ kind: 'mini_program', value: 'wx01', hostApp: '支付宝' }, rows, AT).status).toBe(
      'identifier_mismatch',
    );
  });

  it('answers cancelled and access_withdrawn from the service’s status', () => {
    const ask = { kind: 'domain', value: 'Maps.Example.com' } as const;
    expect(verify(ask, [service({ status: 'cancelled' })], AT)).toEqual({ status: 'cancelled', ...PUBLIC });
    expect(verify(ask, [service({ status: 'access_withdrawn' })], AT).status).toBe('access_withdrawn');
  });

  it('prefers the active service when a cancelled one carried the identifier before', () => {
    const old = service({ serviceNumber: '粤ICP备2026000001号-1A', status: 'cancelled' });
    const current = service({ serviceNumber: '粤ICP备2026000002号-1A', name: '示例地图新版' });
    expect(verify({ kind: 'package', value: 'com.example.maps' }, [old, current], AT)).toMatchObject({
      status: 'registered',
      serviceNumber: '粤ICP备2026000002号-1A',
    });
  });

  it('prefers the service signed with the key asked about, even when cancelled', () => {
    const genuine = service({ status: 'cancelled' });
    const other = service({
      serviceNumber: '粤ICP备2026000002号-1A',
      identifiers: {
        packages: [{ os: 'android', packageName: 'com.example.maps', signatureMd5: 'e'.repeat(32) }],
        bundles: [],
        domains: [],
      },
    });
    expect(
      verify({ kind: 'package', value: 'com.example.maps', signatureMd5: MD5 }, [other, genuine], AT),
    ).toMatchObject({ status: 'cancelled', serviceNumber: '粤ICP备2026000001号-1A' });
  });

  it('ignores services that carry the value under another kind', () => {
    expect(verify({ kind: 'quick_app', value: 'com.example.maps' }, [service()], AT).status).toBe(
      'not_registered',
    );
  });

  it('looks a domain up case-folded, the rest as given', () => {
    expect(identifierKeyOf({ kind: 'domain', value: 'Maps.Example.COM' })).toEqual({
      kind: 'domain',
      value: 'maps.example.com',
    });
    expect(identifierKeyOf({ kind: 'package', value: 'Com.Example', signatureMd5: MD5 })).toEqual({
      kind: 'package',
      value: 'Com.Example',
    });
  });
});
