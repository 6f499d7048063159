import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import type { TokenClaims } from '../../events/auth/token-claims';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { loadRegistrySigningKeys } from '../../infra/secrets/registry-signing-key';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import type { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { openReadModels } from '../../main/read-models';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import {
  seedVerificationRegistry,
  VERIFY_SUBJECT as SUBJECT,
} from '../../test/support/verification-registry';
import { AuthModule } from '../auth/auth.module';
import { TOKEN_VERIFIER } from '../auth/auth.tokens';
import { startProjector } from '../projections/projector';
import { publicJwks } from '../signing/signed-answer';
import { REGISTRY_SIGNING_KEYS, type RegistrySigningKeys } from '../signing/signing.tokens';
import { verifySignedAnswer } from '../signing/verify-signed-answer';
import { READ_MODELS } from '../tokens';
import { VerificationModule } from './verification.module';

const MD5 = 'a'.repeat(32);
const SHA1 = 'b'.repeat(40);
const MAPS = {
  serviceNumber: `${SUBJECT}-1A`,
  serviceName: '示例地图',
  operatorName: '广州示例地图有限公司',
};
const MAPS_DISPLAY = {
  text: `${SUBJECT}-1A`,
  lookupUrl: `/v1/public/services?serviceNumber=${encodeURIComponent(`${SUBJECT}-1A`)}`,
};

interface Answer {
  status: number;
  type: string;
  body: Record<string, unknown>;
}

/** `GET /v1/verify` and `POST /v1/verify/batch` over real HTTP, on a real SQLite log and read models. */
describe('verification: third parties ask the registry whether a service is registered', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-verify-'));
  let log: SqliteEventLog;
  let store: SqliteReadModelStore;
  let server: HttpTestApp;
  let signingKeys: RegistrySigningKeys;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    log = new SqliteEventLog(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 });
    store = openReadModels(dataDir, loadChineseCalendar());
    await seedVerificationRegistry(log);
    const projector = startProjector({ eventLog: log, store });
    await projector.caughtUp();
    await projector.stop();
    const verifier = createTokenVerifier({ dataDir });
    signingKeys = loadRegistrySigningKeys(dataDir, {});
    const claims: Record<string, TokenClaims> = {
      store: { sub: 'appgallery', role: 'store', org: 'huawei-appgallery' },
      device_maker: { sub: 'xiaomi-ops', role: 'device_maker', org: 'xiaomi' },
      isp: { sub: 'aliyun-ops', role: 'isp', ispName: '阿里云' },
      bureau: { sub: 'gd', role: 'bureau', province: '440000' },
      admin: { sub: 'ops', role: 'admin' },
      platform: { sub: 'wechat-ops', role: 'platform', platformId: 'wechat' },
      auditor: { sub: 'audit-1', role: 'auditor' },
    };
    for (const [name, claim] of Object.entries(claims)) tokens[name] = await verifier.issue(claim);

    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: READ_MODELS, useValue: store },
        { provide: REGISTRY_SIGNING_KEYS, useValue: signingKeys },
      ],
      exports: [TOKEN_VERIFIER, READ_MODELS, REGISTRY_SIGNING_KEYS],
    })
    class TestInfraModule {}
    server = await startHttpTestApp({ imports: [TestInfraModule, AuthModule, VerificationModule] });
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await log?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function answerOf(response: Response): Promise<Answer> {
    const text = await response.text();
    return {
      status: response.status,
      type: (response.headers.get('content-type') ?? '').split(';')[0] ?? '',
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  async function check(query: string, token: string | null = tokens.store ?? null): Promise<Answer> {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    return answerOf(await fetch(server.url(`/v1/verify?${query}`), { headers }));
  }

  async function batch(body: unknown, token = tokens.store): Promise<Answer> {
    return answerOf(
      await fetch(server.url('/v1/verify/batch'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  }

  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const statusOf = async (params: Record<string, string>) => (await check(q(params))).body.status;

  it('answers registered with public facts only, by every kind of identifier', async () => {
    const answer = await check(q({ packageName: 'com.example.maps', signatureMd5: MD5 }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 'registered',
      ...MAPS,
      display: MAPS_DISPLAY,
      checkedAt: expect.any(String),
    });
    expect(Date.parse(answer.body.checkedAt as string)).not.toBeNaN();
    expect(await statusOf({ packageName: 'com.example.maps' })).toBe('registered');
    expect(await statusOf({ bundleId: 'com.example.maps.ios', signatureSha1: SHA1.toUpperCase() })).toBe(
      'registered',
    );
    expect(await statusOf({ domain: 'Maps.Example.COM' })).toBe('registered');
    expect(await statusOf({ miniProgramId: 'wx0123456789abcdef', hostApp: '微信' })).toBe('registered');
    expect(await statusOf({ quickAppPackage: 'com.example.quick' })).toBe('registered');
  });

  it('signs an answer on request, so a device maker can check it offline with the published keys', async () => {
    const query = q({ packageName: 'com.example.maps', signatureMd5: 'c'.repeat(32) });
    const response = await fetch(server.url(`/v1/verify?${query}`), {
      headers: { authorization: `Bearer ${tokens.device_maker}`, accept: 'application/jose' },
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/jose/);
    const jws = await response.text();
    const jwks = publicJwks(signingKeys);

    const checked = await verifySignedAnswer(jws, jwks);
    expect(checked).toMatchObject({ ok: true, payload: { status: 'identifier_mismatch', ...MAPS } });
    const [header, payload, signature] = jws.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), status: 'registered' }),
    ).toString('base64url');
    expect(await verifySignedAnswer(`${header}.${forged}.${signature}`, jwks)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('answers identifier_mismatch, never registered, for a package under another signing key', async () => {
    const answer = await check(q({ packageName: 'com.example.maps', signatureMd5: 'c'.repeat(32) }));
    expect(answer.body).toEqual({ status: 'identifier_mismatch', ...MAPS, checkedAt: expect.any(String) });
    expect(await statusOf({ bundleId: 'com.example.maps.ios', signatureSha1: 'd'.repeat(40) })).toBe(
      'identifier_mismatch',
    );
    expect(await statusOf({ miniProgramId: 'wx0123456789abcdef', hostApp: '支付宝' })).toBe(
      'identifier_mismatch',
    );
  });

  it('answers cancelled, access_withdrawn and not_registered, with nothing to display', async () => {
    const cancelled = (await check(q({ packageName: 'com.example.weather' }))).body;
    expect(cancelled).toMatchObject({ status: 'cancelled', serviceNumber: `${SUBJECT}-5A` });
    expect(cancelled).not.toHaveProperty('display');
    const withdrawn = (await check(q({ packageName: 'com.example.album' }))).body;
    expect(withdrawn).toMatchObject({ status: 'access_withdrawn', serviceNumber: `${SUBJECT}-4A` });
    expect(withdrawn).not.toHaveProperty('display');
    expect((await check(q({ packageName: 'com.example.never' }))).body).toEqual({
      status: 'not_registered',
      checkedAt: expect.any(String),
    });
  });

  it('lets ISPs, stores, device makers, bureaus and admins ask; refuses platforms, auditors and anonymous callers', async () => {
    const ask = q({ domain: 'maps.example.com' });
    for (const role of ['store', 'device_maker', 'isp', 'bureau', 'admin']) {
      expect({ role, status: (await check(ask, tokens[role])).status }).toEqual({ role, status: 200 });
      expect({
        role,
        status: (await batch({ items: [{ domain: 'maps.example.com' }] }, tokens[role])).status,
      }).toEqual({
        role,
        status: 200,
      });
    }
    for (const role of ['platform', 'auditor']) {
      const answer = await check(ask, tokens[role]);
      expect({ role, status: answer.status, type: answer.type }).toEqual({
        role,
        status: 403,
        type: 'application/problem+json',
      });
      expect((await batch({ items: [] }, tokens[role])).status).toBe(403);
    }
    expect((await check(ask, null)).status).toBe(401);
  });

  it.each([
    ['an unknown identifier kind', { apkName: 'com.example.maps' }, 'apkName', 'unknown_field'],
    [
      'two identifiers',
      { packageName: 'com.example.maps', bundleId: 'com.example.maps.ios' },
      'bundleId',
      'one_identifier',
    ],
    ['no identifier', {}, '$', 'required'],
    ['a malformed MD5', { packageName: 'com.example.maps', signatureMd5: 'xyz' }, 'signatureMd5', 'pattern'],
    [
      'a malformed SHA-1',
      { bundleId: 'com.example.maps.ios', signatureSha1: MD5 },
      'signatureSha1',
      'pattern',
    ],
    [
      'a SHA-1 on a package (packages are recorded with their MD5)',
      { packageName: 'com.example.maps', signatureSha1: SHA1 },
      'signatureSha1',
      'qualifier_without_identifier',
    ],
    [
      'a host app alone',
      { domain: 'maps.example.com', hostApp: '微信' },
      'hostApp',
      'qualifier_without_identifier',
    ],
  ])('refuses %s with 400 problem+json naming the field', async (_what, params, path, rule) => {
    const answer = await check(q(params as Record<string, string>));
    expect(answer).toMatchObject({ status: 400, type: 'application/problem+json' });
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, rule })]));
  });

  it('answers a batch item by item, in order; a malformed item gets its own errors and blocks nothing', async () => {
    const answer = await batch({
      items: [
        { packageName: 'com.example.maps', signatureMd5: MD5 },
        { packageName: 'com.example.maps', signatureMd5: 'c'.repeat(32) },
        { packageName: 'com.example.never' },
        { packageName: 'com.example.maps', signatureMd5: 'nope' },
        { packageName: 'com.example.weather' },
        { apkName: 'x', domain: 'maps.example.com' },
        { packageName: 'com.example.album' },
        { domain: 'MAPS.example.com' },
        'not an object',
      ],
    });
    expect(answer.status).toBe(200);
    const items = answer.body.items as Array<Record<string, unknown>>;
    expect(
      items.map((item) => item.status ?? (item.errors as Array<{ path: string }>).map((e) => e.path)),
    ).toEqual([
      'registered',
      'identifier_mismatch',
      'not_registered',
      ['items.3.signatureMd5'],
      'cancelled',
      ['items.5.apkName'],
      'access_withdrawn',
      'registered',
      ['items.8'],
    ]);
    // A store lists every registered app with its number and display text from this one answer.
    expect(items.map((item) => item.display)).toEqual([
      MAPS_DISPLAY,
      ...Array<undefined>(6),
      MAPS_DISPLAY,
      undefined,
    ]);
  });

  it('answers 10,000 items, and refuses 10,001 with 400 naming items and the limit, checking nothing', async () => {
    const items = Array.from({ length: 10_000 }, (_, index) =>
      index % 2 === 0 ? { domain: 'maps.example.com' } : { domain: `n${index}.cn` },
    );
    const answer = await batch({ items });
    expect(answer.status).toBe(200);
    const statuses = (answer.body.items as Array<{ status: string }>).map((item) => item.status);
    expect(statuses).toHaveLength(10_000);
    expect(
      statuses.every((status, index) => status === (index % 2 === 0 ? 'registered' : 'not_registered')),
    ).toBe(true);

    const oversize = await batch({ items: [...items.slice(0, 5_000), ...items.slice(0, 5_001)] });
    expect(oversize).toMatchObject({ status: 400, type: 'application/problem+json' });
    expect(oversize.body.errors).toEqual([
      { path: 'items', rule: 'too_many', message: 'items must hold at most 10000 items, got 10001' },
    ]);
    expect(oversize.body).not.toHaveProperty('items');
  });

  it.each([
    ['no items', {}, 'items', 'required'],
    ['items that are not a list', { items: { domain: 'x' } }, 'items', 'type'],
    ['an empty list', { items: [] }, 'items', 'too_few'],
    ['an unknown field', { items: [{ domain: 'a.cn' }], signed: true }, 'signed', 'unknown_field'],
  ])('refuses a batch with %s with 400 naming the field', async (_what, body, path, rule) => {
    const answer = await batch(body);
    expect(answer).toMatchObject({ status: 400, type: 'application/problem+json' });
    expect(answer.body.errors).toEqual([expect.objectContaining({ path, rule })]);
  });

  it('documents both routes in the OpenAPI description, from the validators', async () => {
    const document = (await (await fetch(server.url('/openapi.json'))).json()) as {
      paths: Record<
        string,
        Record<string, { parameters?: unknown[]; requestBody?: unknown; responses: object }>
      >;
    };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/verify', '/v1/verify/batch']));
    expect(JSON.stringify(document.paths['/v1/verify']?.get?.parameters)).toContain('signatureMd5');
    expect(JSON.stringify(document.paths['/v1/verify/batch']?.post?.requestBody)).toContain(
      '"maxItems":10000',
    );
    expect(Object.keys(document.paths['/v1/verify']?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403']),
    );
  });
});
