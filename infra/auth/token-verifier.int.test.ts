import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JWTPayload,
  type KeyLike,
  SignJWT,
} from 'jose';
import { ConfigError } from '../config/config';
import { secretFile } from '../secrets/local-secret';
import { AuthenticationError } from '../../events/auth/authentication-error';
import { createTokenVerifier, type TokenVerifier } from './token-verifier';

const ISSUER = 'icp-filing';
const AUDIENCE = 'icp-filing-api';
const now = (): number => Math.floor(Date.now() / 1000);

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function signHs256(secret: Uint8Array, payload: JWTPayload): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
}

const validPlatform = (): JWTPayload => ({
  sub: 'wechat-ops',
  role: 'platform',
  platformId: 'wechat',
  iss: ISSUER,
  aud: AUDIENCE,
  iat: now(),
  exp: now() + 600,
});

async function rejection(promise: Promise<unknown>): Promise<AuthenticationError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AuthenticationError))
    throw new Error(`expected AuthenticationError, got ${String(error)}`);
  return error;
}

describe('createTokenVerifier with the local secret (HS256)', () => {
  let dataDir: string;
  let verifier: TokenVerifier;
  let secret: Buffer;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-token-verifier-'));
    verifier = createTokenVerifier({ dataDir, env: {} });
    secret = Buffer.from(readFileSync(secretFile(dataDir, 'jwt'), 'utf8').trim(), 'hex');
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the jwt secret in the data directory on first use and reuses it', async () => {
    expect(secret).toHaveLength(32);
    const token = await verifier.issue({ sub: 'admin-1', role: 'admin' });
    await expect(createTokenVerifier({ dataDir, env: {} }).verify(token)).resolves.toEqual({
      role: 'admin',
      id: 'admin-1',
    });
  });

  it('takes the secret from ICP_SECRET_JWT when set', async () => {
    const env = { ICP_SECRET_JWT: 'ab'.repeat(32) };
    const token = await createTokenVerifier({ dataDir, env }).issue({ sub: 'a', role: 'auditor' });
    await expect(createTokenVerifier({ dataDir, env }).verify(token)).resolves.toEqual({
      role: 'auditor',
      id: 'a',
    });
    await rejection(verifier.verify(token));
  });

  it.each([
    [{ sub: 'wechat-ops', role: 'platform', platformId: 'wechat' }, { platformId: 'wechat' }],
    [{ sub: 'gd-reviewer', role: 'bureau', province: '440000' }, { province: '440000' }],
    [{ sub: 'auditor-1', role: 'auditor' }, {}],
    [{ sub: 'admin-1', role: 'admin' }, {}],
    [{ sub: 'aliyun-ops', role: 'isp', ispName: '阿里云' }, { ispName: '阿里云' }],
  ])('accepts a valid %j token', async (claims, scope) => {
    const token = await signHs256(secret, { ...claims, iss: ISSUER, aud: AUDIENCE, exp: now() + 60 });
    await expect(verifier.verify(token)).resolves.toEqual({ role: claims.role, id: claims.sub, ...scope });
  });

  it('keeps only the scope claim of the role', async () => {
    const token = await signHs256(secret, { ...validPlatform(), province: '440000' });
    await expect(verifier.verify(token)).resolves.toEqual({
      role: 'platform',
      id: 'wechat-ops',
      platformId: 'wechat',
    });
  });

  it('issues tokens it verifies, with issuer, audience and the requested lifetime', async () => {
    const token = await verifier.issue({ sub: 'gd', role: 'bureau', province: '440000' }, 120);
    const header = decodeProtectedHeader(token);
    const payload = decodeJwt(token);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      sub: 'gd',
      role: 'bureau',
      province: '440000',
      iss: ISSUER,
      aud: AUDIENCE,
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(120);
    await expect(verifier.verify(token)).resolves.toEqual({ role: 'bureau', id: 'gd', province: '440000' });
  });

  it('refuses to issue tokens that would not verify', async () => {
    await rejection(verifier.issue({ sub: 'x', role: 'platform' }));
    await rejection(verifier.issue({ sub: 'x', role: 'bureau', province: '449900' }));
    await expect(verifier.issue({ sub: 'x', role: 'admin' }, 0)).rejects.toThrow(RangeError);
  });

  it('honours ICP_JWT_ISSUER and ICP_JWT_AUDIENCE', async () => {
    const custom = createTokenVerifier({ dataDir, env: { ICP_JWT_ISSUER: 'idp', ICP_JWT_AUDIENCE: 'api' } });
    const token = await custom.issue({ sub: 'a', role: 'auditor' });
    await expect(custom.verify(token)).resolves.toEqual({ role: 'auditor', id: 'a' });
    expect((await rejection(verifier.verify(token))).message).toBe('token from an unexpected issuer');
  });

  it.each<[string, () => JWTPayload, string]>([
    ['expired', () => ({ ...validPlatform(), exp: now() - 31 }), 'token expired'],
    ['not yet valid', () => ({ ...validPlatform(), nbf: now() + 300 }), 'token not yet valid'],
    ['for another audience', () => ({ ...validPlatform(), aud: 'other-api' }), 'token for another audience'],
    [
      'from another issuer',
      () => ({ ...validPlatform(), iss: 'someone-else' }),
      'token from an unexpected issuer',
    ],
    ['without exp', () => ({ ...validPlatform(), exp: undefined }), 'token has no "exp" claim'],
    ['without sub', () => ({ ...validPlatform(), sub: undefined }), '"sub" claim must be'],
    [
      'with an unknown role',
      () => ({ ...validPlatform(), role: 'applicant' }),
      '"role" claim must be one of',
    ],
    [
      'platform without platformId',
      () => ({ ...validPlatform(), platformId: undefined }),
      '"platformId" claim',
    ],
    [
      'platform with a bad platformId',
      () => ({ ...validPlatform(), platformId: 'we chat' }),
      '"platformId" claim',
    ],
    [
      'bureau with an unknown province',
      () => ({ ...validPlatform(), role: 'bureau', province: '449900' }),
      '"province" claim must be a GB/T 2260 province code',
    ],
  ])('rejects a token %s', async (_case, payload, reason) => {
    const token = await signHs256(secret, payload());
    expect((await rejection(verifier.verify(token))).message).toContain(reason);
  });

  it('accepts a token that expired within the 30 s clock tolerance', async () => {
    const token = await signHs256(secret, { ...validPlatform(), exp: now() - 10 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'platform' });
  });

  it('rejects a token signed with another secret', async () => {
    const token = await signHs256(Buffer.alloc(32, 7), validPlatform());
    expect((await rejection(verifier.verify(token))).message).toBe('token signature invalid');
  });

  it('rejects alg none', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(validPlatform())}.`;
    expect((await rejection(verifier.verify(token))).message).toBe('token signing algorithm not allowed');
  });

  it('rejects HS512 even with the right secret', async () => {
    const token = await new SignJWT(validPlatform()).setProtectedHeader({ alg: 'HS512' }).sign(secret);
    expect((await rejection(verifier.verify(token))).message).toBe('token signing algorithm not allowed');
  });

  it.each(['', 'not-a-jwt', 'a.b.c', '...'])(
    'rejects malformed token %j without echoing it',
    async (token) => {
      const error = await rejection(verifier.verify(token));
      expect(error.message).toBe('token malformed');
    },
  );

  it('never echoes the token in the reason', async () => {
    const token = await signHs256(secret, { ...validPlatform(), role: 'secret-looking-role' });
    const error = await rejection(verifier.verify(token));
    expect(error.message).not.toContain('secret-looking-role');
    expect(error.message).not.toContain(token);
  });
});

describe('createTokenVerifier with ICP_JWKS_URL', () => {
  let server: Server;
  let jwksUrl: string;
  let dataDir: string;
  let esKey: KeyLike;
  let rsKey: KeyLike;

  beforeAll(async () => {
    const es = await generateKeyPair('ES256');
    const rs = await generateKeyPair('RS256');
    esKey = es.privateKey;
    rsKey = rs.privateKey;
    const jwks = {
      keys: [
        { ...(await exportJWK(es.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' },
        { ...(await exportJWK(rs.publicKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' },
      ],
    };
    server = createServer((request, response) => {
      if (request.url === '/down') {
        response.writeHead(503).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-token-jwks-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const verifierFor = (): TokenVerifier => createTokenVerifier({ dataDir, env: { ICP_JWKS_URL: jwksUrl } });

  it('accepts ES256 and RS256 tokens signed with the provider keys', async () => {
    const verifier = verifierFor();
    const es = await new SignJWT(validPlatform())
      .setProtectedHeader({ alg: 'ES256', kid: 'es-1' })
      .sign(esKey);
    const rs = await new SignJWT({ ...validPlatform(), role: 'auditor', sub: 'aud-1' })
      .setProtectedHeader({ alg: 'RS256', kid: 'rs-1' })
      .sign(rsKey);
    await expect(verifier.verify(es)).resolves.toEqual({
      role: 'platform',
      id: 'wechat-ops',
      platformId: 'wechat',
    });
    await expect(verifier.verify(rs)).resolves.toEqual({ role: 'auditor', id: 'aud-1' });
  });

  it('does not create a local secret', () => {
    verifierFor();
    expect(() => readFileSync(secretFile(dataDir, 'jwt'))).toThrow(/ENOENT/);
  });

  it('rejects an HS256 token with the same claims, even one signed with the local secret', async () => {
    const local = createTokenVerifier({ dataDir, env: {} });
    const hs = await local.issue({ sub: 'wechat-ops', role: 'platform', platformId: 'wechat' });
    expect((await rejection(verifierFor().verify(hs))).message).toBe('token signing algorithm not allowed');
  });

  it('rejects a token signed with a key the provider does not publish', async () => {
    const stranger = await generateKeyPair('ES256');
    const token = await new SignJWT(validPlatform())
      .setProtectedHeader({ alg: 'ES256', kid: 'es-1' })
      .sign(stranger.privateKey);
    expect((await rejection(verifierFor().verify(token))).message).toBe('token signature invalid');
  });

  it('cannot issue tokens', async () => {
    await expect(verifierFor().issue({ sub: 'a', role: 'admin' })).rejects.toThrow(/ICP_JWKS_URL is set/);
  });

  it.each(['http://127.0.0.1:1/jwks.json', 'down'])(
    'reports unavailable provider keys (%s) as such',
    async (where) => {
      const url = where === 'down' ? new URL('/down', jwksUrl).href : where;
      const verifier = createTokenVerifier({ dataDir, env: { ICP_JWKS_URL: url } });
      const token = await new SignJWT(validPlatform())
        .setProtectedHeader({ alg: 'ES256', kid: 'es-1' })
        .sign(esKey);
      expect((await rejection(verifier.verify(token))).message).toBe('identity provider keys unavailable');
    },
  );

  it('refuses a JWKS URL that is not http(s)', () => {
    expect(() => createTokenVerifier({ dataDir, env: { ICP_JWKS_URL: 'file:///etc/jwks.json' } })).toThrow(
      ConfigError,
    );
  });
});
