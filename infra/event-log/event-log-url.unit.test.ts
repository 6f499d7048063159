import { EVENT_LOG_URL_FORMS, parseEventLogUrl, redactEventLogUrl } from './event-log-url';

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

  it('selects KurrentDB / EventStoreDB for kurrentdb://, esdb:// and their +discover forms', () => {
    for (const url of [
      'kurrentdb://node1:2113?tls=true',
      'kurrentdb+discover://cluster.local:2113',
      'esdb://node1:2113?tls=true',
      'esdb+discover://cluster.local:2113',
    ]) {
      expect(parseEventLogUrl(url)).toEqual({ kind: 'esdb', url });
    }
  });

  it('selects PostgreSQL for postgres:// and postgresql:// URLs with a host', () => {
    for (const url of [
      'postgres://icp:secret@db.example:5432/icp',
      'postgresql://db.example/icp?sslmode=require',
    ]) {
      expect(parseEventLogUrl(url)).toEqual({ kind: 'postgres', url });
    }
  });

  it('rejects a postgres:// URL without a host, without repeating it (it may hold the password)', () => {
    const parsing = () => parseEventLogUrl('postgres://icp:hunter2@/icp');
    expect(parsing).toThrow('EVENT_STORE_URL: a postgres:// URL needs a host');
    expect(parsing).not.toThrow(/hunter2/);
  });

  it('rejects anything else with the variable name and every accepted scheme', () => {
    for (const url of ['mysql://db/icp', 'kurrent://node1:2113', 'esdb:/node1', '']) {
      expect(() => parseEventLogUrl(url)).toThrow(`EVENT_STORE_URL: must be one of ${EVENT_LOG_URL_FORMS}`);
    }
    for (const form of [
      'sqlite:',
      'postgres://',
      'postgresql://',
      'kurrentdb://',
      'kurrentdb+discover://',
      'esdb://',
      'esdb+discover://',
    ]) {
      expect(EVENT_LOG_URL_FORMS).toContain(form);
    }
  });

  it('never shows credentials', () => {
    expect(redactEventLogUrl('esdb://admin:changeit@node1:2113?tls=true')).toBe(
      'esdb://***@node1:2113?tls=true',
    );
    expect(redactEventLogUrl('kurrentdb://admin:changeit@node1:2113?tls=true')).toBe(
      'kurrentdb://***@node1:2113?tls=true',
    );
    expect(redactEventLogUrl('kurrentdb+discover://admin:changeit@cluster.local:2113')).toBe(
      'kurrentdb+discover://***@cluster.local:2113',
    );
    expect(redactEventLogUrl('postgres://icp:s3cr%2Fet@db.example:5432/icp')).toBe(
      'postgres://***@db.example:5432/icp',
    );
    expect(redactEventLogUrl('postgresql://db.example/icp?user=icp&password=hunter2')).toBe(
      'postgresql://db.example/icp?user=icp&password=***',
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
    expect(redactEventLogUrl('kurrentdb://admin:pa/ss?w:rd@node1:2113')).toBe('kurrentdb://***@node1:2113');
    expect(redactEventLogUrl('esdb://admin@node1:2113')).toBe('esdb://***@node1:2113');
    expect(redactEventLogUrl('esdb://node1:2113,node2:2113?tls=false')).toBe(
      'esdb://node1:2113,node2:2113?tls=false',
    );
  });
});
