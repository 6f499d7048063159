import { AuthenticationError } from './authentication-error';
import { actorFromClaims, isIspName, isTokenRole, MAX_ISP_NAME_LENGTH, TOKEN_ROLES } from './token-claims';

describe('token claims', () => {
  it('knows the isp role', () => {
    expect(TOKEN_ROLES).toContain('isp');
    expect(isTokenRole('isp')).toBe(true);
    expect(isTokenRole('ISP')).toBe(false);
  });

  describe('isIspName', () => {
    it.each(['阿里云', '中国电信股份有限公司广东分公司', 'Tencent Cloud', 'x'.repeat(MAX_ISP_NAME_LENGTH)])(
      'accepts %s',
      (name) => expect(isIspName(name)).toBe(true),
    );

    it('counts characters, not UTF-16 units', () => {
      expect(isIspName('𠀀'.repeat(MAX_ISP_NAME_LENGTH))).toBe(true);
      expect(isIspName('𠀀'.repeat(MAX_ISP_NAME_LENGTH + 1))).toBe(false);
    });

    it.each([
      ['empty', ''],
      ['blank', '   '],
      ['too long', 'x'.repeat(MAX_ISP_NAME_LENGTH + 1)],
      ['spaces around it', ' 阿里云'],
      ['a control character', '阿里\u0000云'],
      ['a line break', '阿里\n云'],
      ['a number', 42],
      ['a list', ['阿里云']],
      ['null', null],
    ])('refuses %s', (_what, value) => expect(isIspName(value)).toBe(false));
  });

  describe('actorFromClaims for role isp', () => {
    it('keeps only the ISP name of the claims', () => {
      expect(
        actorFromClaims({
          sub: 'aliyun-ops',
          role: 'isp',
          ispName: '阿里云',
          platformId: 'wechat',
          province: '440000',
        }),
      ).toEqual({ role: 'isp', id: 'aliyun-ops', ispName: '阿里云' });
    });

    it.each([
      ['without ispName', {}],
      ['with a blank ispName', { ispName: ' ' }],
      ['with a too long ispName', { ispName: 'x'.repeat(65) }],
      ['with ispName as a number', { ispName: 1 }],
    ])('refuses a token %s', (_what, extra) => {
      expect(() => actorFromClaims({ sub: 'aliyun-ops', role: 'isp', ...extra })).toThrow(
        new AuthenticationError(
          '"ispName" claim must be 1-64 characters without surrounding spaces for role isp',
        ),
      );
    });

    it('does not give other roles an ISP name', () => {
      expect(actorFromClaims({ sub: 'a', role: 'auditor', ispName: '阿里云' })).toEqual({
        role: 'auditor',
        id: 'a',
      });
      expect(
        actorFromClaims({ sub: 'p', role: 'platform', platformId: 'wechat', ispName: '阿里云' }),
      ).toEqual({ role: 'platform', id: 'p', platformId: 'wechat' });
    });
  });

  describe('actorFromClaims for roles store and device_maker', () => {
    it.each(['store', 'device_maker'] as const)('keeps only the organisation of a %s token', (role) => {
      expect(
        actorFromClaims({
          sub: 'ops',
          role,
          org: 'huawei-appgallery',
          platformId: 'wechat',
          ispName: '阿里云',
        }),
      ).toEqual({ role, id: 'ops', org: 'huawei-appgallery' });
      expect(isTokenRole(role)).toBe(true);
    });

    it.each([
      ['without org', {}],
      ['with an org holding a space', { org: 'huawei appgallery' }],
      ['with a too long org', { org: 'x'.repeat(65) }],
    ])('refuses a store token %s', (_what, extra) => {
      expect(() => actorFromClaims({ sub: 'ops', role: 'store', ...extra })).toThrow(
        new AuthenticationError('"org" claim must be 1-64 letters, digits, ".", "_" or "-" for role store'),
      );
    });

    it('does not give other roles an organisation', () => {
      expect(actorFromClaims({ sub: 'a', role: 'admin', org: 'xiaomi' })).toEqual({ role: 'admin', id: 'a' });
    });
  });
});
