import { isPublicIpAddress, parseIpAddress } from './ip-address';

describe('parseIpAddress', () => {
  it.each([
    ['47.96.123.45', [47, 96, 123, 45]],
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
  ])('reads IPv4 %s', (text, octets) => {
    expect(parseIpAddress(text)).toEqual({ version: 4, octets });
  });

  it.each([
    ['2408:4005:3ff:100::10', [0x2408, 0x4005, 0x3ff, 0x100, 0, 0, 0, 0x10]],
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['fe80::', [0xfe80, 0, 0, 0, 0, 0, 0, 0]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['1:2:3:4:5:6::8', [1, 2, 3, 4, 5, 6, 0, 8]],
    ['::ffff:47.96.123.45', [0, 0, 0, 0, 0, 0xffff, 0x2f60, 0x7b2d]],
    ['2408:4005:03FF:0100:0000:0000:0000:0010', [0x2408, 0x4005, 0x3ff, 0x100, 0, 0, 0, 0x10]],
  ])('reads IPv6 %s', (text, hextets) => {
    expect(parseIpAddress(text)).toEqual({ version: 6, hextets });
  });

  it.each([
    '',
    '47.96.123',
    '47.96.123.45.1',
    '47.96.123.256',
    '047.96.123.45',
    '47.96.123.45/24',
    '47.96.123.45:80',
    ' 47.96.123.45',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7::8',
    '2408::4005::10',
    '2408:4005:3ff:100::10/64',
    '[2408:4005:3ff:100::10]',
    'fe80::1%eth0',
    '12345::1',
    'g::1',
    '1.2.3.4::',
    '::1.2.3',
    ':1:2:3:4:5:6:7',
  ])('rejects %p', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });
});

describe('isPublicIpAddress', () => {
  const isPublic = (text: string): boolean => {
    const address = parseIpAddress(text);
    if (!address) throw new Error(`test address ${text} does not parse`);
    return isPublicIpAddress(address);
  };

  it.each([
    '47.96.123.45',
    '119.29.64.88',
    '1.1.1.1',
    '100.63.255.255',
    '172.32.0.1',
    '2408:4005:3ff:100::10',
    '240e:e9:6002:15::20',
  ])('accepts %s', (text) => {
    expect(isPublic(text)).toBe(true);
  });

  it.each([
    '0.0.0.0',
    '10.1.2.3',
    '100.64.0.1',
    '127.0.0.1',
    '169.254.1.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.2.10',
    '192.168.1.10',
    '198.18.0.1',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::ffff:47.96.123.45',
    'fe80::1',
    'fd00::1',
    'ff02::1',
    '2001:db8::1',
    '3fff:0fff::1',
  ])('refuses %s', (text) => {
    expect(isPublic(text)).toBe(false);
  });
});
