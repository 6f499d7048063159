import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Global, type INestApplication, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Actor } from '../../events/filing/actor';
import { createTokenVerifier, type TokenVerifier } from '../../infra/auth/token-verifier';
import { loadConfig } from '../../infra/config/config';
import { TOKEN_VERIFIER } from './auth.tokens';
import { AuthGuard } from './auth.guard';
import { AuthModule } from './auth.module';
import { CurrentActor } from './current-actor.decorator';
import { Roles } from './roles.decorator';

@Controller('probe')
@UseGuards(AuthGuard)
class ProbeController {
  @Get('platform-only')
  @Roles('platform')
  platformOnly(@CurrentActor() actor: Actor): { actor: Actor } {
    return { actor };
  }

  @Get('any-role')
  anyRole(@CurrentActor() actor: Actor): { actor: Actor } {
    return { actor };
  }
}

/** Like a feature module of the app: it does not import AuthModule itself. */
@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('AuthGuard in a Nest app', () => {
  let dataDir: string;
  let app: INestApplication;
  let baseUrl: string;
  let tokens: TokenVerifier;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-auth-guard-'));
    const config = loadConfig({ ICP_DATA_DIR: dataDir });

    @Global()
    @Module({
      providers: [{ provide: TOKEN_VERIFIER, useValue: createTokenVerifier({ dataDir: config.dataDir }) }],
      exports: [TOKEN_VERIFIER],
    })
    class TestConfigModule {}

    @Module({ imports: [TestConfigModule, AuthModule, ProbeModule] })
    class TestAppModule {}

    app = await NestFactory.create(TestAppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    tokens = createTokenVerifier({ dataDir: config.dataDir });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function get(
    path: string,
    authorization?: string,
  ): Promise<{ status: number; body: unknown; headers: Headers }> {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  const platformToken = (): Promise<string> =>
    tokens.issue({ sub: 'wechat-ops', role: 'platform', platformId: 'wechat' });
  const bureauToken = (): Promise<string> => tokens.issue({ sub: 'gd', role: 'bureau', province: '440000' });
  const ispToken = (): Promise<string> => tokens.issue({ sub: 'aliyun-ops', role: 'isp', ispName: '阿里云' });

  it('answers 401 with a problem body and a Bearer challenge when there is no token', async () => {
    const response = await get('/probe/any-role');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'missing Authorization: Bearer token',
    });
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 401 for another scheme', async () => {
    const response = await get('/probe/any-role', 'Basic dXNlcjpwYXNz');
    expect(response).toMatchObject({
      status: 401,
      body: { detail: 'Authorization header must be "Bearer <token>"' },
    });
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_request"');
  });

  it('answers 401 for a token it cannot verify, without echoing it', async () => {
    const forged = `${(await platformToken()).slice(0, -4)}AAAA`;
    const response = await get('/probe/any-role', `Bearer ${forged}`);
    expect(response).toMatchObject({ status: 401, body: { status: 401, detail: 'token signature invalid' } });
    expect(JSON.stringify(response.body)).not.toContain(forged);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('answers 401 for a token meant for another audience', async () => {
    const elsewhere = createTokenVerifier({ dataDir, env: { ICP_JWT_AUDIENCE: 'another-api' } });
    const token = await elsewhere.issue({ sub: 'a', role: 'auditor' });
    expect(await get('/probe/any-role', `Bearer ${token}`)).toMatchObject({
      status: 401,
      body: { detail: 'token for another audience' },
    });
  });

  it('answers 403 when the role may not call the route', async () => {
    const response = await get('/probe/platform-only', `Bearer ${await bureauToken()}`);
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'role bureau may not call this route',
    });
  });

  it('answers 403 to an ISP on a route for other roles', async () => {
    const response = await get('/probe/platform-only', `Bearer ${await ispToken()}`);
    expect(response).toMatchObject({
      status: 403,
      body: { status: 403, detail: 'role isp may not call this route' },
    });
  });

  it('hands an ISP actor its name and nothing else', async () => {
    const response = await get('/probe/any-role', `Bearer ${await ispToken()}`);
    expect(response).toMatchObject({
      status: 200,
      body: { actor: { role: 'isp', id: 'aliyun-ops', ispName: '阿里云' } },
    });
    expect(Object.keys((response.body as { actor: object }).actor).sort()).toEqual(['id', 'ispName', 'role']);
  });

  it('lets a listed role through and hands the actor to the route', async () => {
    const response = await get('/probe/platform-only', `Bearer ${await platformToken()}`);
    expect(response).toMatchObject({
      status: 200,
      body: { actor: { role: 'platform', id: 'wechat-ops', platformId: 'wechat' } },
    });
  });

  it('lets any authenticated role through a route without @Roles', async () => {
    const response = await get('/probe/any-role', `bearer ${await bureauToken()}`);
    expect(response).toMatchObject({
      status: 200,
      body: { actor: { role: 'bureau', id: 'gd', province: '440000' } },
    });
  });
});
