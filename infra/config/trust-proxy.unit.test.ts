import { ConfigError } from './config';
import { loadTrustProxy } from './trust-proxy';

const trust = (value: string) => loadTrustProxy({ ICP_TRUST_PROXY: value });

describe('loadTrustProxy (ICP_TRUST_PROXY)', () => {
  it('trusts no proxy when unset, empty or 0: the socket’s address is the client’s', () => {
    expect(loadTrustProxy({})).toBeUndefined();
    expect(trust('  ')).toBeUndefined();
    expect(trust('0')).toBeUndefined();
  });

  it('reads a hop count', () => {
    expect(trust('1')).toBe(1);
    expect(trust(' 2 ')).toBe(2);
    expect(trust('32')).toBe(32);
  });

  it('reads comma-separated addresses, CIDR blocks and Express’s named ranges', () => {
    expect(trust('10.0.0.0/8, 192.168.1.7 ,fd00::/8,::1,loopback')).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      '::1',
      'loopback',
    ]);
    expect(trust('0.0.0.0/0')).toEqual(['0.0.0.0/0']);
  });

  it.each([
    ['true', 1],
    ['*', 1],
    ['10.0.0.0/33', 1],
    ['fd00::/129', 1],
    ['10.0.0.0/8,10.0.0.256', 2],
    ['10.0.0.0/8,', 2],
    ['1.2.3.4/8/1', 1],
    ['proxy.internal', 1],
    ['10.0.0.0/x', 1],
  ])('refuses %s naming the variable and the entry', (value, entry) => {
    expect(() => trust(value)).toThrow(ConfigError);
    expect(() => trust(value)).toThrow(`ICP_TRUST_PROXY: entry ${entry} must be an IP address`);
  });

  it('refuses more hops than any deployment has', () => {
    expect(() => trust('33')).toThrow(new ConfigError('ICP_TRUST_PROXY: at most 32 hops, got 33'));
  });
});
