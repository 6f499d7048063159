import { parseEventLogUrl, redactEventLogUrl } from './event-log-url';

describe('event-log URL', () => {
  it('selects the embedded SQLite file for sqlite: URLs', () => {
    expect(parseEventLogUrl('sqlite:/var/icp/events.sqlite')).toEqual({
      kind: 'sqlite',
      file: '/var/icp/events.sqlite',
    });
    expect(parseEventLogUrl('sqlite:///var/icp/events.sqlite')).toEqual({
      kind: 'sqlite',
      file: '/var/icp/events.sqlite',
    });
  });

  it('selects EventStoreDB for esdb:// and esdb+discover://', () => {
    expect(parseEventLogUrl('esdb://node1:2113?tls=true').kind).toBe('esdb');
    expect(parseEventLogUrl('esdb+discover://cluster.local:2113').kind).toBe('esdb');
  });

  it('rejects anything else with the variable name and the accepted schemes', () => {
    expect(() => parseEventLogUrl('postgres://db/icp')).toThrow(
      'EVENT_STORE_URL: must start with sqlite:, esdb:// or esdb+discover://',
    );
  });

  it('never shows credentials', () => {
    expect(redactEventLogUrl('esdb://admin:changeit@node1:2113?tls=true')).toBe(
      'esdb://***@node1:2113?tls=true',
    );
    expect(redactEventLogUrl('sqlite:/data/events.sqlite')).toBe('sqlite:/data/events.sqlite');
  });

  it('hides passwords holding URL punctuation, as the client parses them', () => {
    expect(redactEventLogUrl('esdb://admin:pa/ss?w:rd@node1:2113?tls=true')).toBe(
      'esdb://***@node1:2113?tls=true',
    );
    expect(redactEventLogUrl('esdb+discover://ops%40icp:p%2Fw@cluster.local:2113')).toBe(
      'esdb+discover://***@cluster.local:2113',
    );
    expect(redactEventLogUrl('esdb://admin@node1:2113')).toBe('esdb://***@node1:2113');
    expect(redactEventLogUrl('esdb://node1:2113,node2:2113?tls=false')).toBe(
      'esdb://node1:2113,node2:2113?tls=false',
    );
  });
});
