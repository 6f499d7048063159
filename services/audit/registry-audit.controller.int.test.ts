import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import {
  REGISTRY_STREAMS,
  SUBJECT_A,
  SUBJECT_B,
  writeRegistry,
} from '../../test/support/audit/registry-fixture';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { AuthModule } from '../auth/auth.module';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { EVENT_LOG } from '../tokens';
import { RegistryAuditController } from './registry-audit.controller';
import { RegistryAuditService } from './registry-audit.service';

describe('GET /v1/audit/subjects/:subjectNumber and /v1/audit/services/:serviceNumber', () => {
  let dir: string;
  let eventLog: SqliteEventLog;
  let server: HttpTestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'icp-registry-audit-http-'));
    eventLog = new SqliteEventLog(join(dir, 'events.sqlite'));
    await writeRegistry(eventLog);
    const verifier = createTokenVerifier({ dataDir: dir });
    tokens.auditor = await verifier.issue({ sub: 'audit-1', role: 'auditor' });
    tokens.admin = await verifier.issue({ sub: 'admin-1', role: 'admin' });
    tokens.platform = await verifier.issue({ sub: 'wechat-ops', role: 'platform', platformId: 'wechat' });
    tokens.bureau = await verifier.issue({ sub: 'gd', role: 'bureau', province: '440000' });

    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: EVENT_LOG, useValue: eventLog },
      ],
      exports: [TOKEN_VERIFIER, EVENT_LOG],
    })
    class TestInfraModule {}
    server = await startHttpTestApp({
      imports: [TestInfraModule, AuthModule],
      controllers: [RegistryAuditController],
      providers: [RegistryAuditService],
    });
  });
  afterAll(async () => {
    await server?.close();
    await eventLog?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const subjectPath = (number: string) => `/v1/audit/subjects/${encodeURIComponent(number)}`;
  const servicePath = (number: string) => `/v1/audit/services/${encodeURIComponent(number)}`;

  async function get(
    path: string,
    who?: string,
  ): Promise<{ status: number; type: string; body: { errors?: unknown[] } }> {
    const response = await fetch(server.url(path), {
      headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: (await response.json()) as { errors?: unknown[] },
    };
  }

  it('gives auditors a subject’s and a service’s verified replay', async () => {
    const subject = await get(subjectPath(SUBJECT_A), 'auditor');
    expect(subject.status).toBe(200);
    expect(subject.body).toMatchObject({
      streamId: REGISTRY_STREAMS.subjectA,
      kind: 'subject',
      verdict: 'verified',
      events: 3,
      subjectNumber: SUBJECT_A,
      findings: [],
    });
    const service = await get(servicePath(`${SUBJECT_B}-1`), 'auditor');
    expect(service.status).toBe(200);
    expect(service.body).toMatchObject({
      streamId: REGISTRY_STREAMS.serviceB1,
      kind: 'service',
      verdict: 'verified',
      timeline: [{ seq: 0, type: 'ServiceRegistered', recordedBy: { role: 'admin' }, sealed: true }],
    });
  });

  it('answers 404 problem+json for a number the registry does not hold', async () => {
    for (const path of [subjectPath('粤ICP备2026000099号'), servicePath(`${SUBJECT_A}-9A`)]) {
      const missing = await get(path, 'auditor');
      expect({ path, status: missing.status, type: missing.type }).toEqual({
        path,
        status: 404,
        type: expect.stringContaining('application/problem+json'),
      });
    }
  });

  it('answers 400 naming the path parameter for a malformed number', async () => {
    const subject = await get(subjectPath(`${SUBJECT_A}-1A`), 'auditor');
    expect(subject.status).toBe(400);
    expect(subject.body.errors).toEqual([
      expect.objectContaining({ path: 'subjectNumber', rule: 'subject_number' }),
    ]);
    const service = await get(servicePath('not-a-number'), 'auditor');
    expect(service.status).toBe(400);
    expect(service.body.errors).toEqual([
      expect.objectContaining({ path: 'serviceNumber', rule: 'service_number' }),
    ]);
    const unknown = await get(`${subjectPath(SUBJECT_A)}?verbose=1`, 'auditor');
    expect(unknown.status).toBe(400);
  });

  it('answers 401 without a token and 403 to every role but the auditor', async () => {
    for (const path of [subjectPath(SUBJECT_A), servicePath(`${SUBJECT_A}-1A`)]) {
      const answered = {
        none: (await get(path)).status,
        platform: (await get(path, 'platform')).status,
        bureau: (await get(path, 'bureau')).status,
        admin: (await get(path, 'admin')).status,
      };
      expect({ path, answered }).toEqual({
        path,
        answered: { none: 401, platform: 403, bureau: 403, admin: 403 },
      });
    }
  });
});
