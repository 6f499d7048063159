import { createLogger } from './logger';
import { loadLogSettings } from './log-settings';
import { prettyLine } from './pretty-lines';
import { scrubFields, scrubFreeText } from './redaction';

const ID_NUMBER = '440305198503120036';
const PHONE = '13800138000';
const EMAIL = 'lisi@example.com';

function capturedLogger(level: 'info' | 'debug' = 'info') {
  const out: string[] = [];
  const err: string[] = [];
  const logger = createLogger({ format: 'json', level }, 'test', {
    out: { write: (line: string) => out.push(line) },
    err: { write: (line: string) => err.push(line) },
  });
  const records = () => [...out, ...err].map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, out, err, records };
}

describe('log redaction', () => {
  it('scrubs phone numbers, ID numbers, e-mail addresses and six-digit codes from free text', () => {
    const text = `call ${PHONE} or +86 13900139000, id ${ID_NUMBER} / 11010519920715004X, mail ${EMAIL}, code 123456`;
    const scrubbed = scrubFreeText(text);
    for (const value of [PHONE, '13900139000', ID_NUMBER, '11010519920715004X', EMAIL, '123456'])
      expect(scrubbed).not.toContain(value);
    expect(scrubbed).toContain('call [redacted]');
  });

  it('keeps ids, routes and province codes in fields while redacting personal keys at any depth', () => {
    const fields = scrubFields({
      route: '/v1/filings/:id',
      requestId: '9b2f7c1e-4d3a-4b5c-8e6f-0a1b2c3d4e5f',
      province: '440000',
      nested: { deeper: { idNumber: ID_NUMBER, note: `reach ${EMAIL}` } },
      headers: { 'x-phone': PHONE },
    });
    expect(fields).toEqual({
      route: '/v1/filings/:id',
      requestId: '9b2f7c1e-4d3a-4b5c-8e6f-0a1b2c3d4e5f',
      province: '440000',
      nested: { deeper: { idNumber: '[redacted]', note: 'reach [redacted]' } },
      headers: '[redacted]',
    });
  });

  it('writes JSON lines, info to the out stream and warnings to the err stream, with nothing personal', () => {
    const { logger, out, err, records } = capturedLogger();
    logger.info(
      { mobile: PHONE, caller: { email: EMAIL }, detail: `for ${ID_NUMBER}` },
      `code 654321 sent to ${PHONE}`,
    );
    logger.warn(new Error(`lookup of ${EMAIL} failed`), 'failed');
    logger.debug('not at this level');
    expect([out.length, err.length]).toEqual([1, 1]);
    const text = [...out, ...err].join('');
    for (const value of [PHONE, EMAIL, ID_NUMBER, '654321']) expect(text).not.toContain(value);
    expect(records()[0]).toMatchObject({
      level: 'info',
      name: 'test',
      mobile: '[redacted]',
      msg: 'code [redacted] sent to [redacted]',
    });
  });

  it('prints a human line in pretty form', () => {
    expect(prettyLine('{"level":"warn","time":"t","context":"Worker","msg":"m","route":"/x"}')).toBe(
      't WARN  [Worker] m route=/x',
    );
  });
});

describe('ICP_LOG_FORMAT and ICP_LOG_LEVEL', () => {
  it('default to human lines at warn on one host and JSON at info on several', () => {
    expect(loadLogSettings({})).toEqual({ format: 'pretty', level: 'warn' });
    expect(loadLogSettings({ DATABASE_URL: 'postgres://db/icp' })).toEqual({ format: 'json', level: 'info' });
    expect(
      loadLogSettings({ TEMPORAL_ADDRESS: 't:7233', ICP_LOG_FORMAT: 'pretty', ICP_LOG_LEVEL: 'DEBUG' }),
    ).toEqual({
      format: 'pretty',
      level: 'debug',
    });
  });

  it('refuse other values, naming the variable and the rule', () => {
    expect(() => loadLogSettings({ ICP_LOG_FORMAT: 'xml' })).toThrow(
      'ICP_LOG_FORMAT: must be json or pretty',
    );
    expect(() => loadLogSettings({ ICP_LOG_LEVEL: 'loud' })).toThrow(
      /^ICP_LOG_LEVEL: must be one of trace, debug/,
    );
  });
});
