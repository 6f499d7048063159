import {
  normalizeSubjectKey,
  subjectKeyDigestOf,
  serviceStreamId,
  subjectSequenceStreamId,
  subjectStreamId,
} from './registry-streams';

describe('registry stream ids', () => {
  const digest = subjectKeyDigestOf('91440300MA5DC0XW8K');

  it('names the counter of a province and year', () => {
    expect(subjectSequenceStreamId('440000', 2026)).toBe('registry-subjects-440000-2026');
    expect(() => subjectSequenceStreamId('810000', 2026)).toThrow(RangeError);
    expect(() => subjectSequenceStreamId('440000', 26)).toThrow(RangeError);
  });

  it('names a subject by the digest of its key, never the key', () => {
    expect(subjectStreamId('440000', digest)).toBe(`registry-subject-440000-${digest}`);
    expect(() => subjectStreamId('440000', '91440300MA5DC0XW8K')).toThrow(/64 lower-case hex/);
  });

  it('names a service by its service number as issued', () => {
    expect(serviceStreamId('粤ICP备2026000001号-1A')).toBe('registry-service-粤ICP备2026000001号-1A');
    expect(serviceStreamId('蜀ICP备2026000001号-2X')).toBe('registry-service-川ICP备2026000001号-2X');
    expect(() => serviceStreamId('粤ICP备2026000001号')).toThrow(RangeError);
    expect(() => serviceStreamId('registry-service-x')).toThrow(RangeError);
  });

  it('keeps the two stream kinds apart under prefix reads', () => {
    expect(subjectStreamId('440000', digest).startsWith('registry-subjects-')).toBe(false);
    expect(subjectSequenceStreamId('440000', 2026).startsWith('registry-subject-')).toBe(false);
  });
});

describe('subject key digest', () => {
  it('is sha256 of icp-subject: and the normalized key', () => {
    // printf 'icp-subject:ABC' | sha256sum
    expect(subjectKeyDigestOf('abc')).toBe(
      '4958fcada700fb68f10c6d834ea583e154ce4c8a627e3459933bec826b35ea9c',
    );
    expect(subjectKeyDigestOf('11010519491231002x')).toBe(subjectKeyDigestOf('11010519491231002X'));
    expect(subjectKeyDigestOf(' 9144 0300 MA5D C0XW 8K ')).toBe(subjectKeyDigestOf('91440300MA5DC0XW8K'));
    expect(subjectKeyDigestOf('９１４４０３００ＭＡ５ＤＣ０ＸＷ８Ｋ')).toBe(
      subjectKeyDigestOf('91440300MA5DC0XW8K'),
    );
    expect(subjectKeyDigestOf('91440300MA5DC0XW8K')).not.toBe(subjectKeyDigestOf('440305199001011234'));
  });

  it('normalizes width, whitespace and case', () => {
    expect(normalizeSubjectKey(' ｘ1 2\t3 ')).toBe('X123');
  });

  it('refuses an empty key', () => {
    expect(() => subjectKeyDigestOf('  ')).toThrow(RangeError);
  });
});
