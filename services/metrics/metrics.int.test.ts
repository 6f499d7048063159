import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { ProblemFixturesController } from '../../test/support/http/problem-fixtures';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsModule } from './metrics.module';

describe('GET /metrics', () => {
  let server: HttpTestApp;

  beforeAll(async () => {
    server = await startHttpTestApp(
      { imports: [MetricsModule], controllers: [ProblemFixturesController] },
      { http: (app) => ({ requestMetrics: app.get(HttpMetricsMiddleware) }) },
    );
  });
  afterAll(() => server.close());

  async function scrape(): Promise<{ contentType: string; text: string }> {
    const response = await fetch(server.url('/metrics'));
    expect(response.status).toBe(200);
    return { contentType: response.headers.get('content-type') ?? '', text: await response.text() };
  }

  it('counts requests by route template, never by raw URL', async () => {
    for (const id of ['f-1001', 'f-1002', 'f-1003']) await fetch(server.url(`/test/filings/${id}`));
    await fetch(server.url('/test/domain/wrong_stage'));
    await fetch(server.url('/nowhere/f-1004'));
    await fetch(server.url('/test/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(300_000) }),
    });

    const { contentType, text } = await scrape();
    expect(contentType).toMatch(/^text\/plain;/);
    expect(contentType).toContain('version=0.0.4');
    expect(text).toContain('http_requests_total{method="GET",route="/test/filings/:id",status="200"} 3');
    expect(text).toContain('http_requests_total{method="GET",route="/test/domain/:code",status="409"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain('http_requests_total{method="POST",route="unmatched",status="413"} 1');
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/test\/filings\/:id"/,
    );
    expect(text).not.toMatch(/f-100\d|nowhere/);
  });

  it('includes the default Node.js metrics', async () => {
    const { text } = await scrape();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});
