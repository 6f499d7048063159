import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  KurrentDBClient,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { ConfigError } from '../../config/config';
import { EventLogUnavailableError } from '../../../events/ports/event-log.port';
import {
  invalidConnectionString,
  isStreamNotFound,
  isTransient,
  scrub,
  toEventLogError,
  urlSecrets,
  wrongExpectedVersion,
} from './esdb-errors';
import { clientConnectionString } from './esdb-connection-string';

const URL = 'esdb://icp-writer:S3cr%2Ft@node1:2113?tls=true';
const DESCRIPTION = 'esdb://***@node1:2113?tls=true';
const SECRETS = urlSecrets(URL);

/** What @grpc/grpc-js rejects a call with, before the client converts it. */
function serviceError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: undefined });
}

describe('KurrentDB errors', () => {
  it('finds the user name and password of the URL, raw and decoded', () => {
    expect(SECRETS).toEqual(expect.arrayContaining(['icp-writer', 'S3cr%2Ft', 'S3cr/t']));
    expect(urlSecrets('esdb://node1:2113?tls=false')).toEqual([]);
    expect(urlSecrets('kurrentdb+discover://icp-writer:S3cr%2Ft@cluster.example')).toEqual(SECRETS);
    expect(scrub('login S3cr/t failed for icp-writer', SECRETS)).toBe('login *** failed for ***');
  });

  it('reports connection failures as EventLogUnavailableError, with the redacted URL', () => {
    const failures = [
      new UnavailableError(undefined, 'connect ECONNREFUSED 10.0.0.7:2113'),
      new DeadlineExceededError(undefined, 'deadline exceeded'),
      new CancelledError(undefined, 'server cancelled the call'),
      serviceError(14, 'UNAVAILABLE: No connection established'),
      serviceError(4, 'DEADLINE_EXCEEDED: Deadline exceeded'),
      new Error('Failed to discover after 10 attempts.'),
    ];
    for (const failure of failures) {
      expect(isTransient(failure)).toBe(true);
      const error = toEventLogError(failure, DESCRIPTION, SECRETS);
      expect(error).toBeInstanceOf(EventLogUnavailableError);
      expect(error.message).toMatch(/^event log esdb:\/\/\*\*\*@node1:2113\?tls=true is unavailable: /);
    }
  });

  it('never lets the password through, even if a message quotes it', () => {
    const error = toEventLogError(
      new UnavailableError(undefined, 'handshake for icp-writer:S3cr/t@node1 failed'),
      DESCRIPTION,
      SECRETS,
    );
    expect(error.message).not.toMatch(/S3cr|icp-writer/);
    expect(error.message).toContain('***:***@node1');
    expect((error.cause as Error).message).not.toMatch(/S3cr|icp-writer/);
  });

  it('explains a refused login instead of calling the log unavailable', () => {
    const error = toEventLogError(new AccessDeniedError(undefined, 'Access denied'), DESCRIPTION, SECRETS);
    expect(error).not.toBeInstanceOf(EventLogUnavailableError);
    expect(error.message).toContain('access denied');
    expect(error.message).toContain(DESCRIPTION);
  });

  it('names the likely cause when the server refuses a start position', () => {
    const error = toEventLogError(
      serviceError(3, 'INVALID_ARGUMENT: Trying to read from an invalid position.'),
      DESCRIPTION,
      SECRETS,
    );
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toContain('read models checkpointed on another backend must be rebuilt');
  });

  it('passes other errors on unchanged', () => {
    const notTransient = new Error('Maximum Append Size of 1048576 Exceeded.');
    expect(isTransient(notTransient)).toBe(false);
    expect(toEventLogError(notTransient, DESCRIPTION, SECRETS)).toBe(notTransient);
  });

  it('recognises a missing stream and a refused expected revision with the actual one', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'filing-1'))).toBe(true);
    expect(isStreamNotFound(new Error('stream not found'))).toBe(false);

    const refused = new WrongExpectedVersionError(undefined, {
      streamName: 'filing-1',
      expected: 0n,
      current: 2n,
    });
    expect(wrongExpectedVersion(refused)).toEqual({ current: 2n });
    const missing = new WrongExpectedVersionError(undefined, {
      streamName: 'filing-1',
      expected: 3n,
      current: 'no_stream',
    });
    expect(wrongExpectedVersion(missing)).toEqual({ current: 'no_stream' });
    expect(wrongExpectedVersion(new Error('nope'))).toBeUndefined();
  });

  it.each(['esdb://admin:hunter2@node1:port?tls=false', 'kurrentdb://admin:hunter2@node1:port?tls=false'])(
    'turns a malformed URL into a ConfigError that quotes no part of the password: %s',
    (url) => {
      let thrown: unknown;
      try {
        KurrentDBClient.connectionString(clientConnectionString(url));
      } catch (error) {
        thrown = error;
      }
      const error = invalidConnectionString(thrown, url);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toMatch(/^EVENT_STORE_URL: not a valid KurrentDB connection string/);
      expect(error.message).toMatch(/ \((esdb|kurrentdb):\/\/[*:]+@node1:port\?tls=false\) /);
      // The character in the URL as written: where `port` starts.
      expect(error.message).toContain(`at character ${url.indexOf('port')}: expected port number`);
      expect(error.message).not.toMatch(/hunter|admin/);
    },
  );
});
