import { sha256Hex, uuidv5 } from './ids';

describe('deterministic ids', () => {
  it('matches the RFC 9562 UUIDv5 test vector (DNS namespace, www.example.com)', () => {
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('gives a filing event the same id on every retry and a different one per seq', () => {
    expect(uuidv5('F1:0')).toBe(uuidv5('F1:0'));
    expect(uuidv5('F1:0')).not.toBe(uuidv5('F1:1'));
  });

  it('hashes UTF-8 text with SHA-256', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('粤')).toBe(sha256Hex('粤'));
  });
});
