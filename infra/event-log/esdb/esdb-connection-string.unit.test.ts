import { parseConnectionString } from '@kurrent/kurrentdb-client/dist/Client/parseConnectionString';
import { clientConnectionString } from './esdb-connection-string';

describe('the URL the KurrentDB client connects with', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it.each([
    ['esdb://icp:pw@node1:2113?tls=false', 'kurrentdb://icp:pw@node1:2113?tls=false', false],
    ['kurrentdb://icp:pw@node1:2113?tls=false', 'kurrentdb://icp:pw@node1:2113?tls=false', false],
    ['esdb+discover://icp:pw@node1:2113?tls=false', 'kurrentdb+discover://icp:pw@node1:2113?tls=false', true],
    [
      'kurrentdb+discover://icp:pw@node1:2113?tls=false',
      'kurrentdb+discover://icp:pw@node1:2113?tls=false',
      true,
    ],
  ])('%s reaches the client as %s, the same connection', (url, expected, dnsDiscover) => {
    const connectionString = clientConnectionString(url);

    expect(connectionString).toBe(expected);
    expect(parseConnectionString(connectionString)).toMatchObject({
      dnsDiscover,
      hosts: [{ address: 'node1', port: 2113 }],
      defaultCredentials: { username: 'icp', password: 'pw' },
      tls: false,
    });
    // The client warns on the console about every esdb:// connection string it parses.
    expect(warn).not.toHaveBeenCalled();
  });

  it('leaves the esdb inside host names and options alone', () => {
    expect(clientConnectionString('kurrentdb://esdb-1:2113,esdb-2:2113?tls=true')).toBe(
      'kurrentdb://esdb-1:2113,esdb-2:2113?tls=true',
    );
  });
});
