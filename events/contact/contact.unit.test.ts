import { isEmailAddress } from './email-address';
import { isLandlineNumber, isMobileNumber, isPhoneNumber, normalisePhoneNumber } from './phone-numbers';

describe('isMobileNumber', () => {
  it.each(['13800138000', '19912345678', '+8613800138000'])('accepts %s', (value) => {
    expect(isMobileNumber(value)).toBe(true);
  });

  it.each([
    '12800138000',
    '1380013800',
    '138001380001',
    '+85261234567',
    '86 13800138000',
    '138-0013-8000',
    '+86 13800138000',
  ])('rejects %s', (value) => {
    expect(isMobileNumber(value)).toBe(false);
  });
});

describe('isLandlineNumber / isPhoneNumber', () => {
  it.each(['010-12345678', '0755-86000000', '075586000000', '021-6400000', '010-12345678-123'])(
    'accepts %s',
    (value) => {
      expect(isLandlineNumber(value)).toBe(true);
      expect(isPhoneNumber(value)).toBe(true);
    },
  );

  it.each(['12345678', '10-12345678', '0755-860000', 'N/A'])('rejects %s', (value) => {
    expect(isPhoneNumber(value)).toBe(false);
  });

  it('normalises +86 and hyphens away', () => {
    expect(normalisePhoneNumber('+8613900139000')).toBe('13900139000');
    expect(normalisePhoneNumber('0755-86000000')).toBe('075586000000');
  });
});

describe('isEmailAddress', () => {
  it.each([
    'name@example.com',
    'first.last+tag@mail.example.cn',
    "o'brien@example.org",
    'a@xn--fsq092h.xn--fiqs8s',
  ])('accepts %s', (value) => {
    expect(isEmailAddress(value)).toBe(true);
  });

  it.each([
    'name.example.com',
    '@example.com',
    'name@',
    'name@localhost',
    'name@example .com',
    '.name@example.com',
    'na..me@example.com',
    'name.@example.com',
    '"quoted"@example.com',
    'name@记账.example.com',
    `${'a'.repeat(65)}@example.com`,
    'name@@example.com',
  ])('rejects %p', (value) => {
    expect(isEmailAddress(value)).toBe(false);
  });
});
