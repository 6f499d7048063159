import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { serviceStreamId } from '../../events/registry/registry-streams';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import type { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { loadRegistrySigningKeys } from '../../infra/secrets/registry-signing-key';
import { openReadModels } from '../../main/read-models';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { registryRecorded, serviceRegistered, toAppend } from '../../test/support/registry-fixtures';
import { startProjector } from '../projections/projector';
import { PublicController } from '../public/public.controller';
import { READ_MODELS } from '../tokens';
import { JwksController } from './jwks.controller';
import { REGISTRY_SIGNING_KEYS } from './signing.tokens';
import { verifySignedAnswer } from './verify-signed-answer';

const SERVICES_PATH = '/v1/public/services';
const QUERY = { packageName: 'com.example.maps' };

interface OpenApiOperation {
  parameters?: Array<{ name: string; schema?: { enum?: string[] } }>;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

/**
 * Signed answers over real HTTP: the public lookups, answered from a real SQLite log and read models,
 * signed with the key the embedded default generates, checked offline with what /.well-known/jwks.json
 * publishes.
 */
describe('signed answers of the public lookups', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-signed-answers-'));
  let log: SqliteEventLog;
  let store: SqliteReadModelStore;
  let server: HttpTestApp;

  const get = (path: string, query: Record<string, string> | string, headers: Record<string, string> = {}) =>
    fetch(server.url(`${path}?${new URLSearchParams(query).toString()}`), { headers });
  const publishedKeys = async () =>
    (await (await fetch(server.url('/.well-known/jwks.json'))).json()) as JSONWebKeySet;
  /** The payload's members but the signature's own claims: what the plain JSON answer says. */
  const answerOf = ({
    iss: _iss,
    iat: _iat,
    exp: _exp,
    request: _request,
    ...answer
  }: Record<string, unknown>) => answer;

  beforeAll(async () => {
    log = new SqliteEventLog(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 });
    store = openReadModels(dataDir, loadChineseCalendar());
    const service = serviceRegistered();
    const stream = serviceStreamId(service.serviceNumber);
    await log.appendToStream(
      stream,
      [
        toAppend(
          registryRecorded(stream, 'ServiceRegistered', service),
          '7f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b',
        ),
      ],
      {
        expectedRevision: 'no_stream',
      },
    );
    const projector = startProjector({ eventLog: log, store });
    await projector.caughtUp();
    await projector.stop();
    server = await startHttpTestApp({
      controllers: [PublicController, JwksController],
      providers: [
        { provide: READ_MODELS, useValue: store },
        { provide: REGISTRY_SIGNING_KEYS, useValue: loadRegistrySigningKeys(dataDir, {}) },
      ],
    });
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await log?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes the public key as a cacheable JWK Set, with no private part', async () => {
    const response = await fetch(server.url('/.well-known/jwks.json'));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        kid: 'local',
        alg: 'EdDSA',
        use: 'sig',
      },
    ]);
    expect(keys[0]).not.toHaveProperty('d');
  });

  it.each([
    ['?signed=1', { ...QUERY, signed: '1' }, {}],
    ['?signed=true', { ...QUERY, signed: 'true' }, {}],
    ['Accept: application/jose', QUERY, { accept: 'application/jose' }],
  ])(
    '%s answers a JWS that verifies offline and says what the JSON answer says',
    async (_how, query, headers) => {
      const plain = await get(SERVICES_PATH, QUERY);
      const plainAnswer = (await plain.json()) as { items: Array<{ serviceNumber: string }> };
      expect(plainAnswer.items.map((item) => item.serviceNumber)).toEqual(['粤ICP备2026000001号-1A']);

      const response = await get(SERVICES_PATH, query, headers);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/jose(;|$)/);
      expect(response.headers.get('vary')).toMatch(/Accept/);
      const jws = await response.text();
      expect(jws).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const check = await verifySignedAnswer(jws, await publishedKeys());
      if (!check.ok) throw new Error(`signed answer refused: ${check.reason}`);
      expect(check.kid).toBe('local');
      expect(answerOf(check.payload)).toEqual(plainAnswer);
      expect(check.payload.request).toEqual({ method: 'GET', path: SERVICES_PATH, query: QUERY });
      expect((check.payload.exp as number) - (check.payload.iat as number)).toBe(24 * 3600);
    },
  );

  it('signs the registration lookup too, an answer that finds nothing included', async () => {
    const query = { number: '粤ICP备2026000009号-1A' };
    const response = await get('/v1/public/registrations', query, { accept: 'application/jose' });

    expect(response.headers.get('content-type')).toMatch(/^application\/jose/);
    const check = await verifySignedAnswer(await response.text(), await publishedKeys());
    expect(check).toMatchObject({ ok: true, payload: { items: [], request: { query } } });
  });

  it('answers JSON, unsigned, when neither asks for a signature', async () => {
    const response = await get(SERVICES_PATH, QUERY, { accept: 'application/json, application/jose;q=0.5' });

    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('vary')).toMatch(/Accept/);
    expect(await response.json()).toMatchObject({ items: [{ serviceNumber: '粤ICP备2026000001号-1A' }] });
  });

  it('signs when the query asks with an escaped name (%73igned=1), as the parsed query says', async () => {
    const response = await fetch(server.url(`${SERVICES_PATH}?%73igned=1&packageName=com.example.maps`));

    expect(response.headers.get('content-type')).toMatch(/^application\/jose/);
    const check = await verifySignedAnswer(await response.text(), await publishedKeys());
    expect(check).toMatchObject({ ok: true, payload: { request: { query: QUERY } } });
  });

  it('refuses a signed answer whose payload was changed (a registered app passed off as another)', async () => {
    const jws = await (await get(SERVICES_PATH, { ...QUERY, signed: '1' })).text();
    const [header, payload, signature] = jws.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = {
      ...claims,
      request: { method: 'GET', path: SERVICES_PATH, query: { packageName: 'com.fake' } },
    };
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;

    expect(await verifySignedAnswer(tampered, await publishedKeys())).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect((await verifySignedAnswer(jws, await publishedKeys())).ok).toBe(true);
  });

  it.each([['0'], ['yes'], ['']])('refuses signed=%j with a 400 problem naming signed', async (value) => {
    const response = await get(SERVICES_PATH, { ...QUERY, signed: value });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      status: 400,
      errors: [{ path: 'signed', rule: 'invalid_choice', message: 'signed must be one of 1, true' }],
    });
  });

  it('refuses signed given twice', async () => {
    const response = await get(SERVICES_PATH, 'packageName=com.example.maps&signed=1&signed=1');

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ path: 'signed' }] });
  });

  it('never signs an error: a refused lookup stays problem+json', async () => {
    for (const [query, headers] of [
      [{ signed: '1' }, {}],
      [{ nothing: 'x' }, { accept: 'application/jose' }],
    ] as const) {
      const response = await get(SERVICES_PATH, query, headers);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(
        ((await response.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path),
      ).not.toContain('signed');
    }
  });

  it('documents the signed form in OpenAPI: the signed parameter and application/jose beside JSON', async () => {
    const document = (await (await fetch(server.url('/openapi.json'))).json()) as {
      paths: Record<string, { get: OpenApiOperation }>;
    };

    for (const path of [SERVICES_PATH, '/v1/public/registrations']) {
      const operation = document.paths[path]!.get;
      expect(operation.parameters?.find((p) => p.name === 'signed')?.schema?.enum).toEqual(['1', 'true']);
      expect(Object.keys(operation.responses['200']?.content ?? {}).sort()).toEqual([
        'application/jose',
        'application/json',
      ]);
      expect(Object.keys(operation.responses['400']?.content ?? {})).toEqual(['application/problem+json']);
      expect(operation).not.toHaveProperty('x-signable-answer');
    }
    expect(
      Object.keys(document.paths['/.well-known/jwks.json']!.get.responses['200']?.content ?? {}),
    ).toEqual(['application/json']);
  });
});
