import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { PROVINCES } from '../../events/provinces';
import { loadValidForm } from '../fixtures/forms/form-fixtures';
import {
  filingWorkflowCount,
  JWT_AUDIENCE,
  JWT_ISSUER,
  signToken,
  type StartedSystem,
  startSystem,
} from './started-system';

/**
 * Issue #8, authentication: tokens that must not pass (expired, not yet valid, forged, `alg: none`,
 * another algorithm, audience or issuer, no `exp`, garbage, malformed `Authorization` headers) get
 * 401 problem+json on every authenticated route; tokens signed with the real secret but with fuzzed
 * claims get exactly what the role and scope table of the README grants, and never a 5xx.
 */

const SEED = 20_261_131;
const TOKEN_ROLES = ['platform', 'bureau', 'auditor', 'admin', 'isp', 'store', 'device_maker'] as const;
const PROVINCE_CODES: readonly string[] = PROVINCES.map((p) => p.code);
const OWN = { platformId: 'wechat', province: '440000' };

/** The caller the README's table knows: a role with its scope, or nobody (the token is refused). */
type Actor =
  | { role: 'platform'; platformId: string }
  | { role: 'bureau'; province: string }
  | { role: 'isp'; ispName: string }
  | { role: 'store' | 'device_maker'; org: string }
  | { role: 'auditor' | 'admin' };

/** Independent of the server's code: which claims make an actor, per the README and RFC 7519. */
function actorOf(claims: Record<string, unknown>): Actor | undefined {
  const own = (key: string): unknown => (Object.hasOwn(claims, key) ? claims[key] : undefined);
  const sub = own('sub');
  const role = own('role');
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 255) return undefined;
  if (typeof role !== 'string' || !(TOKEN_ROLES as readonly string[]).includes(role)) return undefined;
  if (role === 'platform') {
    const platformId = own('platformId');
    return typeof platformId === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(platformId)
      ? { role, platformId }
      : undefined;
  }
  if (role === 'bureau') {
    const province = own('province');
    return typeof province === 'string' && PROVINCE_CODES.includes(province) ? { role, province } : undefined;
  }
  if (role === 'isp') {
    // 1–64 characters (code points), no control characters, no space around it.
    const ispName = own('ispName');
    return typeof ispName === 'string' &&
      ispName !== '' &&
      ispName.trim() === ispName &&
      [...ispName].length <= 64 &&
      !/\p{Cc}/u.test(ispName)
      ? { role, ispName }
      : undefined;
  }
  if (role === 'store' || role === 'device_maker') {
    const org = own('org');
    return typeof org === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(org) ? { role, org } : undefined;
  }
  return { role: role as 'auditor' | 'admin' };
}

interface Route {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: (filing: string) => string;
  readonly body?: unknown;
  /** The status the README's table gives this actor for the withdrawn filing of wechat in Guangdong. */
  readonly expect: (actor: Actor) => number;
}

const isOwnPlatform = (a: Actor) => a.role === 'platform' && a.platformId === OWN.platformId;
const isOwnBureau = (a: Actor) => a.role === 'bureau' && a.province === OWN.province;
const readable = (a: Actor) => a.role === 'auditor' || isOwnPlatform(a) || isOwnBureau(a);
/**
 * Roles that read no filing at all: an admin, an ISP (its scope is its accesses in the registry), a
 * store and a device maker (they verify services in the registry).
 */
const noFilings = (a: Actor) => ['admin', 'isp', 'store', 'device_maker'].includes(a.role);
/** Who may verify services against the registry. */
const verifier = (a: Actor) => ['isp', 'store', 'device_maker', 'bureau', 'admin'].includes(a.role);
/** A closed filing takes no decisions: its owner learns so (409); anyone else that it does not exist. */
const platformDecision = (a: Actor) => (a.role !== 'platform' ? 403 : isOwnPlatform(a) ? 409 : 404);

const ROUTES: readonly Route[] = [
  {
    name: 'GET /v1/filings/{id}',
    method: 'GET',
    path: (f) => `/v1/filings/${f}`,
    expect: (a) => (noFilings(a) ? 403 : readable(a) ? 200 : 404),
  },
  {
    name: 'GET /v1/filings/{id}/events',
    method: 'GET',
    path: (f) => `/v1/filings/${f}/events`,
    expect: (a) => (a.role === 'auditor' ? 200 : 403),
  },
  {
    name: 'GET /v1/filings',
    method: 'GET',
    path: () => '/v1/filings?limit=200',
    expect: (a) => (noFilings(a) ? 403 : 200),
  },
  // An empty form: a platform gets past the guard to the form's 400, nothing is ever started.
  {
    name: 'POST /v1/filings',
    method: 'POST',
    path: () => '/v1/filings',
    body: {},
    expect: (a) => (a.role === 'platform' ? 400 : 403),
  },
  ...['platform-review', 'correction', 'resubmission', 'sms-resend', 'withdrawal'].map((decision): Route => ({
    name: `POST /v1/filings/{id}/${decision}`,
    method: 'POST',
    path: (f) => `/v1/filings/${f}/${decision}`,
    body:
      decision === 'platform-review'
        ? { decision: 'approve' }
        : decision === 'correction'
          ? { form: loadValidForm('valid-app') }
          : {},
    expect: platformDecision,
  })),
  {
    name: 'POST /v1/filings/{id}/bureau-review',
    method: 'POST',
    path: (f) => `/v1/filings/${f}/bureau-review`,
    body: { decision: 'approve' },
    expect: (a) => (a.role !== 'bureau' ? 403 : isOwnBureau(a) ? 409 : 404),
  },
  {
    name: 'GET /v1/bureau/queue',
    method: 'GET',
    path: () => '/v1/bureau/queue',
    expect: (a) => (a.role === 'bureau' ? 200 : 403),
  },
  {
    name: 'GET /v1/bureau/shell-subjects',
    method: 'GET',
    path: () => '/v1/bureau/shell-subjects',
    expect: (a) => (a.role === 'bureau' ? 200 : 403),
  },
  {
    name: 'GET /v1/bureau/filings/{id}',
    method: 'GET',
    path: (f) => `/v1/bureau/filings/${f}`,
    expect: (a) => (a.role !== 'bureau' ? 403 : isOwnBureau(a) ? 200 : 404),
  },
  // The registry's audits: auditors only (no subject or service holds these numbers: 404).
  {
    name: 'GET /v1/audit/subjects/{subjectNumber}',
    method: 'GET',
    path: () => `/v1/audit/subjects/${encodeURIComponent('粤ICP备2026999999号')}`,
    expect: (a) => (a.role === 'auditor' ? 404 : 403),
  },
  {
    name: 'GET /v1/audit/services/{serviceNumber}',
    method: 'GET',
    path: () => `/v1/audit/services/${encodeURIComponent('粤ICP备2026999999号-1A')}`,
    expect: (a) => (a.role === 'auditor' ? 404 : 403),
  },
  {
    name: 'GET /v1/dashboard/sla',
    method: 'GET',
    path: () => '/v1/dashboard/sla',
    expect: (a) => (a.role === 'bureau' || a.role === 'auditor' ? 200 : 403),
  },
  // Changes, cancellations, new accesses: platforms only; a platform gets past the guard to the 400
  // of the missing Idempotency-Key (and, but for a cancellation, of the empty body).
  ...(['changes', 'accesses', 'cancellation'] as const).map((route): Route => ({
    name: `POST /v1/registrations/{serviceNumber}/${route}`,
    method: 'POST',
    path: () => `/v1/registrations/${encodeURIComponent('粤ICP备2026999999号-1A')}/${route}`,
    body: {},
    expect: (a) => (a.role === 'platform' ? 400 : 403),
  })),
  {
    name: 'POST /v1/subjects/{subjectNumber}/cancellation',
    method: 'POST',
    path: () => `/v1/subjects/${encodeURIComponent('粤ICP备2026999999号')}/cancellation`,
    body: {},
    expect: (a) => (a.role === 'platform' ? 400 : 403),
  },
  // ISPs only: an empty body gets an ISP past the guard to the body's 400, nothing is written.
  {
    name: 'POST /v1/registry/services/{serviceNumber}/access-withdrawals',
    method: 'POST',
    path: () => `/v1/registry/services/${encodeURIComponent('粤ICP备2026999999号-1A')}/access-withdrawals`,
    body: {},
    expect: (a) => (a.role === 'isp' ? 400 : 403),
  },
  // Verification: no identifier (or no items) gets a verifier past the guard to the 400.
  {
    name: 'GET /v1/verify',
    method: 'GET',
    path: () => '/v1/verify',
    expect: (a) => (verifier(a) ? 400 : 403),
  },
  {
    name: 'POST /v1/verify/batch',
    method: 'POST',
    path: () => '/v1/verify/batch',
    body: {},
    expect: (a) => (verifier(a) ? 400 : 403),
  },
  // Compliance (issue 20): the roles each route admits get past the guard (to a 2xx, 400, 404 or 422:
  // no filing, inventory, campaign or inspection of these names exists); every other role is refused.
  ...(
    [
      ['POST', '/v1/compliance/inventories', '/v1/compliance/inventories', ['isp', 'store', 'device_maker']],
      [
        'GET',
        '/v1/compliance/inventories',
        '/v1/compliance/inventories',
        ['isp', 'store', 'device_maker', 'bureau', 'auditor', 'admin'],
      ],
      ['POST', '/v1/compliance/sweeps', '/v1/compliance/sweeps', ['bureau', 'admin']],
      [
        'GET',
        '/v1/compliance/sweeps/{asOf}',
        '/v1/compliance/sweeps/2024-04-01',
        ['bureau', 'auditor', 'admin'],
      ],
      [
        'GET',
        '/v1/compliance/sweeps/{asOf}/items',
        '/v1/compliance/sweeps/2024-04-01/items',
        ['bureau', 'auditor', 'admin'],
      ],
      ['POST', '/v1/compliance/inspections', '/v1/compliance/inspections', ['bureau']],
      [
        'GET',
        '/v1/compliance/inspections',
        '/v1/compliance/inspections',
        ['bureau', 'isp', 'store', 'device_maker', 'auditor', 'admin'],
      ],
      [
        'GET',
        '/v1/compliance/inspections/{inspectionId}',
        '/v1/compliance/inspections/no-such',
        ['bureau', 'isp', 'store', 'device_maker', 'auditor', 'admin'],
      ],
      [
        'POST',
        '/v1/compliance/inspections/{inspectionId}/findings/{findingId}/answer',
        '/v1/compliance/inspections/no-such/findings/1/answer',
        ['isp', 'store', 'device_maker'],
      ],
      [
        'POST',
        '/v1/compliance/inspections/{inspectionId}/findings/{findingId}/decision',
        '/v1/compliance/inspections/no-such/findings/1/decision',
        ['bureau'],
      ],
      ['POST', '/v1/compliance/campaigns', '/v1/compliance/campaigns', ['bureau']],
      [
        'GET',
        '/v1/compliance/campaigns',
        '/v1/compliance/campaigns',
        ['bureau', 'auditor', 'admin', 'platform', 'isp'],
      ],
      [
        'GET',
        '/v1/compliance/campaign-items/pending',
        '/v1/compliance/campaign-items/pending',
        ['platform', 'isp'],
      ],
      [
        'GET',
        '/v1/compliance/campaigns/{campaignId}',
        '/v1/compliance/campaigns/no-such',
        ['bureau', 'auditor', 'admin', 'platform', 'isp'],
      ],
      [
        'GET',
        '/v1/compliance/campaigns/{campaignId}/items',
        '/v1/compliance/campaigns/no-such/items',
        ['bureau', 'auditor', 'admin', 'platform', 'isp'],
      ],
      [
        'POST',
        '/v1/compliance/campaigns/{campaignId}/items/{serviceNumber}/answer',
        `/v1/compliance/campaigns/no-such/items/${encodeURIComponent('粤ICP备2026999999号-1A')}/answer`,
        ['platform', 'isp'],
      ],
      [
        'POST',
        '/v1/compliance/campaigns/{campaignId}/items/{serviceNumber}/decision',
        `/v1/compliance/campaigns/no-such/items/${encodeURIComponent('粤ICP备2026999999号-1A')}/decision`,
        ['bureau'],
      ],
    ] as const
  ).map(([method, name, path, roles]): Route => ({
    name: `${method} ${name}`,
    method,
    path: () => path,
    body: method === 'POST' ? {} : undefined,
    expect: (a) => ((roles as readonly string[]).includes(a.role) ? -1 : 403),
  })),
];

const PUBLIC_PATHS = [
  '/v1/public/registrations',
  '/v1/public/services',
  '/v1/public/registrations/{number}/badge.svg',
  '/v1/transparency/sth',
  '/v1/transparency/proof/inclusion',
  '/v1/transparency/proof/consistency',
  '/v1/filings/{id}/sms-verification',
  '/health',
  '/livez',
  '/readyz',
  '/metrics',
  '/openapi.json',
  '/.well-known/jwks.json',
];
const isPublic = (path: string) => PUBLIC_PATHS.includes(path) || path.startsWith('/docs');

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('authentication and authorisation against a started system (`icp start`)', () => {
  let system: StartedSystem;
  let filing = '';
  let routes: Route[] = [];
  let workflowsBefore = 0;
  const stats = { requests: 0, statuses: new Map<number, number>(), tokens: 0 };

  async function call(route: Route, authorization: string | undefined) {
    const response = await fetch(`${system.base}${route.path(filing)}`, {
      method: route.method,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(route.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: route.body === undefined ? undefined : JSON.stringify(route.body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    stats.requests += 1;
    stats.statuses.set(response.status, (stats.statuses.get(response.status) ?? 0) + 1);
    return {
      status: response.status,
      type,
      challenge: response.headers.get('www-authenticate') ?? '',
      json: (/json/.test(type) && text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  }

  /** Every authenticated route answers 401 problem+json with a Bearer challenge. */
  async function expectRefusedEverywhere(authorization: string | undefined, what: string): Promise<void> {
    for (const route of routes) {
      const answer = await call(route, authorization);
      expect({
        what,
        route: route.name,
        status: answer.status,
        type: answer.type.split(';')[0],
        problem: answer.json.status,
      }).toEqual({
        what,
        route: route.name,
        status: 401,
        type: 'application/problem+json',
        problem: 401,
      });
      expect(answer.challenge).toMatch(/^Bearer/);
    }
  }

  const claims = (extra: Record<string, unknown> = {}) => ({
    sub: 'wechat-ops',
    role: 'platform',
    platformId: 'wechat',
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
    iat: now(),
    exp: now() + 600,
    ...extra,
  });
  /** A compact JWS over any header, which jose will not sign (e.g. an unknown critical extension). */
  const signedByHand = (protectedHeader: Record<string, unknown>, payload: Record<string, unknown>) => {
    const input = `${base64url(protectedHeader)}.${base64url(payload)}`;
    return `${input}.${createHmac('sha256', system.jwtSecret).update(input).digest('base64url')}`;
  };
  const hs256 = (payload: Record<string, unknown>, secret: Uint8Array = system.jwtSecret) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);

  beforeAll(async () => {
    system = await startSystem('auth-e2e');
    const wechat = `Bearer ${await signToken(system.jwtSecret, { sub: 'wechat-ops', role: 'platform', platformId: 'wechat' })}`;
    const auditor = `Bearer ${await signToken(system.jwtSecret, { sub: 'audit-1', role: 'auditor' })}`;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${system.base}${path}`, {
        method: 'POST',
        headers: { authorization: wechat, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const created = await post('/v1/filings', loadValidForm('valid-app'), { 'idempotency-key': 'auth-e2e' });
    expect(created.status).toBe(202);
    filing = String(((await created.json()) as { filingId: string }).filingId);

    const status = async () =>
      (
        (await (
          await fetch(`${system.base}/v1/filings/${filing}`, { headers: { authorization: auditor } })
        ).json()) as { status: string }
      ).status;
    const listed = async () =>
      (
        (await (
          await fetch(`${system.base}/v1/filings?limit=200`, { headers: { authorization: auditor } })
        ).json()) as { items: { filingId: string; status: string }[] }
      ).items.some((item) => item.filingId === filing && item.status === 'withdrawn');
    const until = async (check: () => Promise<boolean>, what: string) => {
      const deadline = Date.now() + 30_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await until(async () => (await status()) === 'platform_review', 'platform review');
    expect((await post(`/v1/filings/${filing}/withdrawal`, {})).status).toBe(200);
    await until(async () => (await status()) === 'withdrawn', 'the withdrawal');
    await until(listed, 'the read model');

    // Routes the table above does not know (e.g. the auditors' /v1/audit/…) are for auditors only.
    const openapi = (await (await fetch(`${system.base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const known = new Set(ROUTES.map((r) => r.name));
    const others: Route[] = Object.entries(openapi.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .map((method) => method.toUpperCase() as 'GET' | 'POST')
        .filter((method) => !known.has(`${method} ${path}`) && !isPublic(path))
        .map((method): Route => ({
          name: `${method} ${path}`,
          method,
          path: (f) => path.replace('{id}', f),
          body: method === 'POST' ? {} : undefined,
          expect: (a) => (a.role === 'auditor' ? -1 : 403),
        })),
    );
    const documented = new Set(
      Object.entries(openapi.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    // The audit routes are checked when the running build has them; every other route must be there.
    expect(ROUTES.filter((r) => !documented.has(r.name) && !r.name.includes('/audit/'))).toEqual([]);
    routes = [...ROUTES.filter((r) => documented.has(r.name)), ...others];
    workflowsBefore = await filingWorkflowCount(system.temporal);
  });

  afterAll(async () => {
    await system?.stop();
    console.info(
      `authentication: ${routes.length} authenticated routes, ${stats.tokens} tokens, ${stats.requests} requests, statuses ${[
        ...stats.statuses,
      ]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ')}`,
    );
  });

  it('refuses tokens that must not pass, and malformed Authorization headers, with 401 on every route', async () => {
    const otherSecret = randomBytes(32);
    const valid = await hs256(claims());
    const [header, payload] = valid.split('.');
    const cases: [string, string | undefined][] = [
      ['no Authorization header', undefined],
      ['expired an hour ago', `Bearer ${await hs256(claims({ iat: now() - 7_200, exp: now() - 3_600 }))}`],
      ['expired beyond the 30 s tolerance', `Bearer ${await hs256(claims({ exp: now() - 60 }))}`],
      ['not yet valid (nbf in an hour)', `Bearer ${await hs256(claims({ nbf: now() + 3_600 }))}`],
      ['signed with another secret', `Bearer ${await hs256(claims(), otherSecret)}`],
      [
        'payload swapped under a valid signature',
        `Bearer ${header}.${base64url(claims({ role: 'auditor' }))}.${valid.split('.')[2]}`,
      ],
      ['alg none', `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`],
      ['alg None, signature kept', `Bearer ${base64url({ alg: 'None' })}.${payload}.${valid.split('.')[2]}`],
      [
        'HS512 with the real secret',
        `Bearer ${await new SignJWT(claims()).setProtectedHeader({ alg: 'HS512' }).sign(system.jwtSecret)}`,
      ],
      [
        'HS384 with the real secret',
        `Bearer ${await new SignJWT(claims()).setProtectedHeader({ alg: 'HS384' }).sign(system.jwtSecret)}`,
      ],
      ['another audience', `Bearer ${await hs256(claims({ aud: 'another-api' }))}`],
      ['an audience list without ours', `Bearer ${await hs256(claims({ aud: ['a', 'b'] }))}`],
      ['another issuer', `Bearer ${await hs256(claims({ iss: 'someone-else' }))}`],
      ['no exp', `Bearer ${await hs256(claims({ exp: undefined }))}`],
      ['exp as text', `Bearer ${await hs256(claims({ exp: String(now() + 600) }))}`],
      [
        'an unknown critical header',
        `Bearer ${signedByHand({ alg: 'HS256', crit: ['x-must'], 'x-must': 1 }, claims())}`,
      ],
      ['signature cut off', `Bearer ${header}.${payload}.`],
      ['two segments', `Bearer ${header}.${payload}`],
      ['not a JWT', 'Bearer not-a-jwt'],
      ['three empty segments', 'Bearer ..'],
      ['a.b.c', 'Bearer a.b.c'],
      ['8 kB of base64url', `Bearer ${randomBytes(6_000).toString('base64url')}`],
      ['Bearer without a token', 'Bearer'],
      ['Bearer and spaces', 'Bearer    '],
      ['an empty header', ''],
      ['Basic credentials', 'Basic dXNlcjpwYXNz'],
      ['another scheme with a valid token', `Token ${valid}`],
      ['a valid token without a scheme', valid],
      ['a valid token with trailing words', `Bearer ${valid} extra`],
      ['two valid tokens', `Bearer ${valid}, Bearer ${valid}`],
      ['a tab instead of a space', `Bearer\t${valid}`],
      ['lower-case scheme with a forged token', `bearer ${await hs256(claims(), otherSecret)}`],
      ['upper-case scheme with garbage', 'BEARER x.y.z'],
    ];
    for (const [what, authorization] of cases) {
      stats.tokens += 1;
      await expectRefusedEverywhere(authorization, what);
    }

    // The scheme is case-insensitive (RFC 7235 §2.1): a valid token after `bearer` passes.
    const lower = await call(ROUTES[0] as Route, `bearer ${valid}`);
    expect(lower.status).toBe(200);
    // Public routes ignore a bad token instead of refusing it.
    const lookup = await fetch(`${system.base}/v1/public/registrations?appName=x`, {
      headers: { authorization: 'Bearer x.y.z' },
    });
    expect(lookup.status).toBe(200);

    const garbage = fc.oneof(
      fc
        .array(
          fc.string({
            unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
            maxLength: 40,
          }),
          { minLength: 1, maxLength: 4 },
        )
        .map((parts) => `Bearer ${parts.join('.')}`),
      fc.string({
        unit: fc.constantFrom(
          ...' !#$%&*+-.0123456789=ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~',
        ),
        maxLength: 60,
      }),
      fc
        .string({
          unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='),
          maxLength: 60,
        })
        .map((s) => `Bearer ${s}`),
      fc
        .jsonValue({ maxDepth: 2 })
        .map(
          (value) =>
            `Bearer ${base64url({ alg: 'HS256' })}.${base64url(value)}.${randomBytes(32).toString('base64url')}`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (authorization) => {
        stats.tokens += 1;
        await expectRefusedEverywhere(authorization, `garbage ${authorization.slice(0, 40)}`);
      }),
      { seed: SEED, numRuns: 40, endOnFailure: true },
    );
  });

  it('gives tokens with fuzzed claims, signed with the real secret, exactly what the role and scope table grants', async () => {
    // Mostly well-formed claims, so that every role and both sides of every scope are met often.
    const pick = <T>(common: fc.Arbitrary<T>, odd: fc.Arbitrary<unknown>) =>
      fc.oneof({ arbitrary: common, weight: 5 }, { arbitrary: odd, weight: 1 });
    const absent = fc.constant(undefined);
    const claimsArbitrary = fc.record({
      sub: pick(
        fc.constantFrom('ops-1', 'wechat-ops', 'x'.repeat(255)),
        fc.oneof(
          fc.constantFrom('', '   ', 'x'.repeat(256)),
          fc.string({ unit: 'grapheme', maxLength: 12 }),
          fc.integer(),
          fc.constant(null),
          absent,
          fc.constant(['ops']),
        ),
      ),
      role: pick(
        fc.constantFrom(...TOKEN_ROLES),
        fc.oneof(
          fc.constantFrom('applicant', 'system', 'AUDITOR', 'Platform', ' auditor', 'auditor ', 'root', ''),
          fc.string({ maxLength: 10 }),
          fc.integer(),
          fc.constant(['auditor']),
          fc.constant({ role: 'auditor' }),
          fc.constant(null),
          absent,
        ),
      ),
      platformId: pick(
        fc.constantFrom('wechat', 'wechat', 'wechat', 'alipay', 'x'.repeat(64)),
        fc.oneof(
          fc.constantFrom('WECHAT', 'wechat ', 'we chat', '', 'x'.repeat(65), 'wechat\u0000', 'wéchat'),
          fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/),
          fc.integer(),
          fc.constant(['wechat']),
          fc.constant(null),
          absent,
        ),
      ),
      ispName: pick(
        fc.constantFrom('阿里云', '阿里云计算有限公司', 'Tencent Cloud', 'x'.repeat(64)),
        fc.oneof(
          fc.constantFrom('', ' ', ' 阿里云', '阿里云 ', 'x'.repeat(65), '阿里\u0000云', '阿里\n云'),
          fc.integer(),
          fc.constant(['阿里云']),
          fc.constant(null),
          absent,
        ),
      ),
      org: pick(
        fc.constantFrom('huawei-appgallery', 'xiaomi', 'x'.repeat(64)),
        fc.oneof(
          fc.constantFrom('', 'two words', 'x'.repeat(65), 'wéchat'),
          fc.integer(),
          fc.constant(null),
          absent,
        ),
      ),
      province: pick(
        fc.oneof(fc.constant('440000'), fc.constantFrom(...PROVINCE_CODES)),
        fc.oneof(
          fc.constantFrom('449900', '440300', '44', '４４００００', ' 440000', ''),
          fc.constant(440000),
          fc.constant(['440000']),
          fc.constant(null),
          absent,
        ),
      ),
      extra: fc.dictionary(
        fc.oneof(
          fc.constantFrom(
            '__proto__',
            'constructor',
            'prototype',
            'scope',
            'roles',
            'admin',
            'platform_id',
            'isAdmin',
          ),
          fc.string({ maxLength: 8 }),
        ),
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constant({ role: 'auditor', platformId: 'wechat', province: '440000' }),
        ),
        { maxKeys: 4 },
      ),
    });
    const RESERVED = new Set([
      'sub',
      'role',
      'platformId',
      'province',
      'ispName',
      'org',
      'iss',
      'aud',
      'exp',
      'nbf',
      'iat',
    ]);
    const seen = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(claimsArbitrary, async ({ extra, ...named }) => {
        const payload: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(extra)) {
          if (!RESERVED.has(key))
            Object.defineProperty(payload, key, {
              value,
              enumerable: true,
              writable: true,
              configurable: true,
            });
        }
        for (const [key, value] of Object.entries(named)) if (value !== undefined) payload[key] = value;
        // What the server will read: the claims after a JSON round trip, own members only.
        const actor = actorOf(JSON.parse(JSON.stringify(payload)) as Record<string, unknown>);
        const token = `Bearer ${await signToken(system.jwtSecret, payload)}`;
        stats.tokens += 1;
        const who = actor
          ? `${actor.role}${'platformId' in actor ? `:${actor.platformId}` : ''}${'province' in actor ? `:${actor.province}` : ''}${'ispName' in actor ? `:${actor.ispName}` : ''}${'org' in actor ? `:${actor.org}` : ''}`
          : 'refused';
        const kind = !actor
          ? 'refused'
          : actor.role === 'platform'
            ? `platform ${isOwnPlatform(actor) ? 'own' : 'other'}`
            : actor.role === 'bureau'
              ? `bureau ${isOwnBureau(actor) ? 'own' : 'other'}`
              : actor.role;
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
        for (const route of routes) {
          const answer = await call(route, token);
          const expected = actor ? route.expect(actor) : 401;
          const what = { claims: JSON.stringify(payload).slice(0, 200), who, route: route.name };
          if (expected === -1) {
            // An auditors' route the table does not know: anything but a refusal or a server error.
            expect({
              ...what,
              ok: answer.status < 500 && answer.status !== 401 && answer.status !== 403,
            }).toEqual({ ...what, ok: true });
          } else {
            expect({ ...what, status: answer.status }).toEqual({ ...what, status: expected });
          }
          if (answer.status >= 400) expect(answer.type).toMatch(/^application\/problem\+json/);
          if (route.name === 'GET /v1/filings' && answer.status === 200) {
            const ids = (answer.json.items as { filingId: string }[]).map((item) => item.filingId);
            // A platform never sees another platform's filings, a bureau never another province's.
            expect({ ...what, listed: ids.includes(filing) }).toEqual({
              ...what,
              listed: actor !== undefined && readable(actor),
            });
          }
        }
      }),
      { seed: SEED, numRuns: 100, endOnFailure: true },
    );
    // The fuzz must have met every role, both sides of each scope, and refused tokens.
    expect([...seen.keys()].sort()).toEqual([
      'admin',
      'auditor',
      'bureau other',
      'bureau own',
      'device_maker',
      'isp',
      'platform other',
      'platform own',
      'refused',
      'store',
    ]);
    console.info(`fuzzed claims: ${[...seen].map(([kind, n]) => `${kind}×${n}`).join(', ')}`);
  });

  it('afterwards: nothing started, the server healthy, no 5xx logged', async () => {
    expect(await filingWorkflowCount(system.temporal)).toBe(workflowsBefore);
    expect((await fetch(`${system.base}/health`)).status).toBe(200);
    expect(system.stderr()).not.toMatch(/failed with/);
  });
});
