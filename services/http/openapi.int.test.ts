import { Global, Module } from '@nestjs/common';
import { EVENT_LOG, EVENT_LOG_LOCATION, READ_MODELS, TEMPORAL_CONNECTION, TEMPORAL_TARGET } from '../tokens';
import { HealthModule } from '../health/health.module';
import { MetricsModule } from '../metrics/metrics.module';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { ProblemFixturesController } from '../../test/support/http/problem-fixtures';

interface OpenApiDocument {
  openapi: string;
  info: { title: string };
  paths: Record<string, unknown>;
  components: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

describe('OpenAPI', () => {
  let server: HttpTestApp;

  beforeAll(async () => {
    server = await startHttpTestApp({ controllers: [ProblemFixturesController] });
  });
  afterAll(() => server.close());

  it('serves the document at /openapi.json with the controllers’ paths and bearer auth', async () => {
    const response = await fetch(server.url('/openapi.json'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await response.json()) as OpenApiDocument;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBe('ICP filing engine');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/test/filings/{id}', '/test/echo', '/test/domain/{code}']),
    );
    expect(document.components.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await fetch(server.url('/docs'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('swagger-ui');
  });

  it('serves the UI’s assets', async () => {
    const response = await fetch(server.url('/docs/swagger-ui-init.js'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('ICP filing engine');
  });
});

@Global()
@Module({
  providers: [TEMPORAL_TARGET, EVENT_LOG_LOCATION, TEMPORAL_CONNECTION, EVENT_LOG, READ_MODELS].map(
    (token) => ({ provide: token, useValue: {} }),
  ),
  exports: [TEMPORAL_TARGET, EVENT_LOG_LOCATION, TEMPORAL_CONNECTION, EVENT_LOG, READ_MODELS],
})
class UnusedInfraModule {}

describe('OpenAPI of the API’s current controllers', () => {
  let server: HttpTestApp;

  beforeAll(async () => {
    server = await startHttpTestApp({ imports: [UnusedInfraModule, HealthModule, MetricsModule] });
  });
  afterAll(() => server.close());

  it('documents them (operational /metrics left out)', async () => {
    const document = (await (await fetch(server.url('/openapi.json'))).json()) as OpenApiDocument;
    expect(Object.keys(document.paths)).toEqual(['/health', '/livez', '/readyz']);
  });
});
