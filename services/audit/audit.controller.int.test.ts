import { Global, Module } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { freePort } from '../../infra/process/net';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { EVENT_LOG, TEMPORAL_CLIENT } from '../tokens';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { FilingHarness } from '../../test/temporal/filing-harness';
import { AuthModule } from '../auth/auth.module';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { AuditController } from './audit.controller';
import { AUDIT_OPTIONS, AuditService } from './audit.service';
import { unreachableClient } from '../../test/support/audit/unreachable-temporal';

describe('GET /v1/audit/filings/:id and its timeline.svg', () => {
  let harness: FilingHarness;
  let filingId: string;
  const tokens: Record<string, string> = {};

  /** The audit controller on the harness's event log, asking `temporal` with a short timeout. */
  async function serve(temporal: Client): Promise<HttpTestApp> {
    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier({ dataDir: harness.config.dataDir }) },
        { provide: EVENT_LOG, useValue: harness.eventLog },
        { provide: TEMPORAL_CLIENT, useValue: temporal },
      ],
      exports: [TOKEN_VERIFIER, EVENT_LOG, TEMPORAL_CLIENT],
    })
    class TestInfraModule {}

    return startHttpTestApp({
      imports: [TestInfraModule, AuthModule],
      controllers: [AuditController],
      providers: [
        AuditService,
        { provide: AUDIT_OPTIONS, useValue: { calendar: loadChineseCalendar(), temporalTimeoutMs: 1_000 } },
      ],
    });
  }

  const get = async (server: HttpTestApp, path: string, who?: string) => {
    const response = await fetch(server.url(path), {
      headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  };

  beforeAll(async () => {
    harness = await FilingHarness.start();
    await harness.runWorker();
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    filingId = handle.workflowId.replace(/^filing-/, '');
    const verifier = createTokenVerifier({ dataDir: harness.config.dataDir });
    tokens.auditor = await verifier.issue({ sub: 'audit-1', role: 'auditor' });
    tokens.platform = await verifier.issue({ sub: 'wechat-ops', role: 'platform', platformId: 'wechat' });
    tokens.bureau = await verifier.issue({ sub: 'gd', role: 'bureau', province: '440000' });
  });
  afterAll(async () => harness?.stop());

  describe('with Temporal answering', () => {
    let server: HttpTestApp;
    beforeAll(async () => {
      server = await serve(harness.client);
    });
    afterAll(() => server?.close());

    it('gives auditors the verified report, cross-checked with the workflow', async () => {
      const response = await get(server, `/v1/audit/filings/${filingId}`, 'auditor');

      expect(response).toMatchObject({ status: 200, type: expect.stringContaining('application/json') });
      const report = JSON.parse(response.text) as Record<string, unknown>;
      expect(report).toMatchObject({
        filingId,
        verdict: 'verified',
        events: 2,
        status: 'platform_review',
        findings: [],
        temporal: { checked: true, workflowExecution: 'RUNNING', workflowStatus: 'platform_review' },
      });
      expect(report.stages).toEqual([
        expect.objectContaining({ stage: 'platform_review', dueAt: expect.any(String) }),
      ]);
      // Staff ids and the platform are in the report; nothing from the registration form is.
      expect(response.text).not.toMatch(/440305198503120036|13900139000|lisi@example\.com|示例记账/);
    });

    it('draws the timeline as SVG, in English or Chinese', async () => {
      const en = await get(server, `/v1/audit/filings/${filingId}/timeline.svg`, 'auditor');
      expect(en).toMatchObject({ status: 200, type: 'image/svg+xml; charset=utf-8' });
      expect(en.text).toMatch(
        /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
      );
      expect(en.text).toContain('ICP filing audit — verified');

      const zh = await get(server, `/v1/audit/filings/${filingId}/timeline.svg?lang=zh`, 'auditor');
      expect(zh.status).toBe(200);
      expect(zh.text).toContain('ICP备案审计 — 核验通过');
    });

    it('answers 404 for a filing the log does not hold, 400 for a bad id or parameter', async () => {
      const missing = await get(server, '/v1/audit/filings/9b2f7c1e-4d3a-4b5c-8e6f-0a1b2c3d4e5f', 'auditor');
      expect(missing).toMatchObject({
        status: 404,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(JSON.parse(missing.text)).toEqual({
        type: 'https://icp-filing.example/problems/filing-not-found',
        title: 'Not Found',
        status: 404,
        detail: 'filing not found',
        requestId: expect.any(String),
      });
      const svgMissing = await get(
        server,
        '/v1/audit/filings/9b2f7c1e-4d3a-4b5c-8e6f-0a1b2c3d4e5f/timeline.svg',
        'auditor',
      );
      expect(svgMissing).toMatchObject({
        status: 404,
        type: expect.stringContaining('application/problem+json'),
      });

      expect((await get(server, '/v1/audit/filings/not-a-uuid', 'auditor')).status).toBe(400);
      const lang = await get(server, `/v1/audit/filings/${filingId}/timeline.svg?lang=fr`, 'auditor');
      expect(lang).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json') });
      expect(JSON.parse(lang.text).errors).toEqual([
        expect.objectContaining({ path: 'lang', rule: 'invalid_choice' }),
      ]);
      const unknown = await get(server, `/v1/audit/filings/${filingId}?verbose=1`, 'auditor');
      expect(JSON.parse(unknown.text).errors).toEqual([
        expect.objectContaining({ path: 'verbose', rule: 'unknown_field' }),
      ]);
      const twice = await get(
        server,
        `/v1/audit/filings/${filingId}/timeline.svg?lang=en&lang=zh`,
        'auditor',
      );
      expect(twice.status).toBe(400);
    });

    it('answers 401 without a token and 403 to platforms and bureaus', async () => {
      for (const path of [`/v1/audit/filings/${filingId}`, `/v1/audit/filings/${filingId}/timeline.svg`]) {
        const answered = {
          none: (await get(server, path)).status,
          platform: (await get(server, path, 'platform')).status,
          bureau: (await get(server, path, 'bureau')).status,
        };
        expect({ path, answered }).toEqual({ path, answered: { none: 401, platform: 403, bureau: 403 } });
      }
    });
  });

  describe('with Temporal unreachable', () => {
    it('still answers 200, saying the report was not cross-checked and why', async () => {
      const temporal = unreachableClient(`127.0.0.1:${await freePort()}`);
      const server = await serve(temporal.client);
      try {
        const response = await get(server, `/v1/audit/filings/${filingId}`, 'auditor');

        expect(response.status).toBe(200);
        expect(JSON.parse(response.text)).toMatchObject({
          verdict: 'verified',
          temporal: { checked: false, reason: 'Temporal did not answer within 1000 ms' },
        });
        const svg = await get(server, `/v1/audit/filings/${filingId}/timeline.svg`, 'auditor');
        expect(svg.text).toContain('Temporal not checked: Temporal did not answer within 1000 ms');
      } finally {
        await server.close();
        await temporal.close();
      }
    });
  });
});
