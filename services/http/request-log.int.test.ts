import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/authenticated-request';
import { createLogger } from '../../infra/logging/logger';
import { startHttpTestApp, type HttpTestApp } from '../../test/support/http/http-test-app';
import { ValidationProblem } from './problem-details';

const PERSONAL = ['440305198503120036', '13800138000', 'lisi@example.com', '150043', '654321'];
const FILING_ID = '9b2f7c1e-4d3a-4b5c-8e6f-0a1b2c3d4e5f';

@Controller('v1/filings')
class FilingProbeController {
  @Post(':id/sms-verification')
  verify(@Param('id') id: string, @Body() body: unknown, @Req() request: AuthenticatedRequest): object {
    request.actor = { role: 'platform', id: 'lisi@example.com', platformId: 'wechat' };
    return { id, received: body !== undefined };
  }

  @Get(':id')
  refuse(): never {
    throw new ValidationProblem([{ path: 'id', rule: 'uuid_v4', message: 'must be a UUID v4' }]);
  }
}

describe('request logs of the HTTP kit', () => {
  let server: HttpTestApp;
  const lines: string[] = [];
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    const sink = { write: (line: string) => lines.push(line) };
    const logger = createLogger({ format: 'json', level: 'info' }, 'api', { out: sink, err: sink });
    server = await startHttpTestApp(
      { controllers: [FilingProbeController] },
      { http: () => ({ requestLog: logger }) },
    );
  });
  afterAll(() => server.close());

  it('logs a request carrying personal data in its query, headers and body once, without any of it', async () => {
    const response = await fetch(
      server.url(`/v1/filings/${FILING_ID}/sms-verification?mobile=13800138000&mail=lisi@example.com`),
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-applicant-id': '440305198503120036',
          'x-request-id': 'lb-7f3a.trace:42',
        },
        body: JSON.stringify({ code: '654321', idLast6: '150043' }),
      },
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('lb-7f3a.trace:42');
    const mine = records().filter((record) => record.requestId === 'lb-7f3a.trace:42');
    expect(mine).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'request completed',
        method: 'POST',
        route: '/v1/filings/:id/sms-verification',
        status: 201,
        durationMs: expect.any(Number),
        role: 'platform',
        platformId: 'wechat',
        correlationId: FILING_ID,
      }),
    ]);
    for (const value of PERSONAL) expect(lines.filter((line) => line.includes(value))).toEqual([]);
  });

  it('makes its own request id when the caller’s is not a short token or could be personal data', async () => {
    for (const offered of ['13800138000', 'x'.repeat(129), 'a b']) {
      const response = await fetch(server.url(`/v1/filings/${FILING_ID}/sms-verification`), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': offered },
        body: '{}',
      });
      const id = response.headers.get('x-request-id') ?? '';
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(records().filter((record) => record.requestId === id)).toHaveLength(1);
    }
    expect(lines.filter((line) => line.includes('13800138000'))).toEqual([]);
  });

  it('names the request id in a problem body, the same as the header and the log line', async () => {
    const response = await fetch(server.url('/v1/filings/13800138000?email=lisi@example.com'));
    const body = (await response.json()) as Record<string, unknown>;
    const id = response.headers.get('x-request-id');
    expect(response.status).toBe(400);
    expect(body.requestId).toBe(id);
    const [line] = records().filter((record) => record.requestId === id);
    // A malformed id is no correlation id: it could be anything the caller typed.
    expect(line).toMatchObject({ route: '/v1/filings/:id', status: 400 });
    expect(line).not.toHaveProperty('correlationId');
    for (const value of PERSONAL) expect(lines.filter((text) => text.includes(value))).toEqual([]);
  });
});
