import { displayOf } from './display';

describe('displayOf: what an app must show for its registration', () => {
  it('shows the service number itself, with its public lookup link', () => {
    const display = displayOf('粤ICP备2026000001号-2A');
    expect(display.text).toBe('粤ICP备2026000001号-2A');
    expect(display.lookupUrl).toBe(
      `/v1/public/services?serviceNumber=${encodeURIComponent('粤ICP备2026000001号-2A')}`,
    );
  });

  it('links absolutely under a base URL, which looks the same number up', () => {
    const { lookupUrl } = displayOf('京ICP备05012345号-1', 'https://icp.example/');
    const url = new URL(lookupUrl);
    expect(url.origin + url.pathname).toBe('https://icp.example/v1/public/services');
    expect(url.searchParams.get('serviceNumber')).toBe('京ICP备05012345号-1');
  });

  it('keeps a number that is not one from breaking out of the query', () => {
    const { lookupUrl } = displayOf('a&status=cancelled#x', 'https://icp.example');
    const url = new URL(lookupUrl);
    expect([...url.searchParams.keys()]).toEqual(['serviceNumber']);
    expect(url.hash).toBe('');
  });

  it('writes the query exactly as a form encoder would, whatever the number holds', () => {
    for (const odd of ["a b!'()~*-._", '号 + % / ? = 😀', 'lone \ud800 surrogate']) {
      expect(displayOf(odd).lookupUrl).toBe(
        `/v1/public/services?${new URLSearchParams({ serviceNumber: odd }).toString()}`,
      );
    }
  });
});
