import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import type { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { loadRegistrySigningKeys } from '../../infra/secrets/registry-signing-key';
import { openReadModels } from '../../main/read-models';
import { allElements, parseXml, textOf } from '../../test/support/audit/xml-tree';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import {
  seedVerificationRegistry,
  VERIFY_SUBJECT as SUBJECT,
} from '../../test/support/verification-registry';
import { startProjector } from '../projections/projector';
import { REGISTRY_SIGNING_KEYS } from '../signing/signing.tokens';
import { READ_MODELS } from '../tokens';
import { PublicController } from './public.controller';

const ACTIVE = `${SUBJECT}-1A`;
const WITHDRAWN = `${SUBJECT}-4A`;
const CANCELLED = `${SUBJECT}-5A`;

/** `GET /v1/public/registrations/{number}/badge.svg` over real HTTP, on a real SQLite log and read models. */
describe('the registration badge an app or a store listing shows', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-badge-'));
  let log: SqliteEventLog;
  let store: SqliteReadModelStore;
  let server: HttpTestApp;

  beforeAll(async () => {
    log = new SqliteEventLog(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 });
    store = openReadModels(dataDir, loadChineseCalendar());
    await seedVerificationRegistry(log);
    const projector = startProjector({ eventLog: log, store });
    await projector.caughtUp();
    await projector.stop();
    server = await startHttpTestApp({
      controllers: [PublicController],
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

  const badge = (number: string, query = '') =>
    fetch(server.url(`/v1/public/registrations/${encodeURIComponent(number)}/badge.svg${query}`));

  async function badgeTexts(number: string, query: string): Promise<string[]> {
    const response = await badge(number, query);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    return allElements(parseXml(await response.text()))
      .filter((element) => element.name === 'text')
      .map(textOf);
  }

  it.each([
    [ACTIVE, '?lang=zh', ['ICP备案', `${ACTIVE} 已备案`]],
    [CANCELLED, '?lang=zh', ['ICP备案', `${CANCELLED} 已注销`]],
    [WITHDRAWN, '?lang=zh', ['ICP备案', `${WITHDRAWN} 已停止接入`]],
    [ACTIVE, '?lang=en', ['ICP registration', `${ACTIVE} active`]],
    [CANCELLED, '?lang=en', ['ICP registration', `${CANCELLED} cancelled`]],
    [WITHDRAWN, '?lang=en', ['ICP registration', `${WITHDRAWN} access withdrawn`]],
    [ACTIVE, '', ['ICP备案', `${ACTIVE} 已备案`]],
  ])('renders %s%s with its number and status, to anyone', async (number, query, texts) => {
    expect(await badgeTexts(number, query)).toEqual(texts);
  });

  it('answers 404 problem+json for a number the registry does not hold', async () => {
    const response = await badge(`${SUBJECT}-9A`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      status: 404,
      detail: 'the registry holds no such service',
    });
  });

  it.each([
    ['a malformed number', 'not-a-number', '?lang=zh', 'number'],
    ['a number with markup', `${ACTIVE}<script>`, '', 'number'],
    ['an unknown language', ACTIVE, '?lang=fr', 'lang'],
    ['an unknown parameter', ACTIVE, '?style=flat', 'style'],
  ])('refuses %s with 400 problem+json naming the field', async (_what, number, query, path) => {
    const response = await badge(number, query);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as { errors: Array<{ path: string }> };
    expect(body.errors.map((error) => error.path)).toEqual([path]);
  });

  it('is documented in the OpenAPI description as an SVG answer with its parameters', async () => {
    const document = (await (await fetch(server.url('/openapi.json'))).json()) as {
      paths: Record<string, Record<string, { parameters?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const route = document.paths['/v1/public/registrations/{number}/badge.svg']?.get;
    expect(JSON.stringify(route?.parameters)).toContain('"name":"lang"');
    expect(JSON.stringify(route?.parameters)).toContain('"name":"number"');
    expect(JSON.stringify(route?.responses['200'])).toContain('image/svg+xml');
    expect(Object.keys(route?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(Object.keys(route?.responses ?? {})).not.toContain('401');
  });
});
