import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicJwks, signAnswer } from '../../../services/signing/signed-answer';
import type { RegistrySigningKeys } from '../../../services/signing/signing.tokens';
import { runCommand } from '../../../test/cli/run-command';
import { createVerifyAnswerCommand, verifyAnswerCommand } from './verify-answer.command';

const signing: RegistrySigningKeys = {
  keys: [{ kid: '2026-12', ...generateKeyPairSync('ed25519') }],
  currentKid: '2026-12',
};
const ANSWER = { items: [{ serviceNumber: '粤ICP备2026000001号-1A', status: 'active' }] };
const REQUEST = { method: 'GET', path: '/v1/public/services', query: { packageName: 'com.example.maps' } };

describe('icp verify-answer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-verify-answer-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  let jws = '';
  let jwksFile = '';
  let server: Server;
  let jwksUrl = '';

  beforeAll(async () => {
    jws = await signAnswer(ANSWER, REQUEST, signing);
    const jwks = JSON.stringify(publicJwks(signing));
    jwksFile = file('jwks.json', jwks);
    server = createServer((_request, response) =>
      response.setHeader('content-type', 'application/json').end(jwks),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the verified payload and exits 0, with the key set from a file or a URL', async () => {
    const answer = file('answer.jws', `${jws}\n`);
    for (const keys of [jwksFile, jwksUrl]) {
      const { code, out, err } = await runCommand(verifyAnswerCommand, [answer, '--jwks', keys]);

      expect(code).toBe(0);
      expect(JSON.parse(out.join('\n'))).toMatchObject({ ...ANSWER, request: REQUEST, iss: 'icp-registry' });
      expect(err).toEqual([
        expect.stringMatching(/^verified: signed by key 2026-12, valid until \d{4}-.*Z$/),
      ]);
    }
  });

  it('reads the answer from stdin with -', async () => {
    const command = createVerifyAnswerCommand({ readStdin: async () => jws });

    expect((await runCommand(command, ['-', `--jwks=${jwksFile}`])).code).toBe(0);
  });

  it('exits 1 naming why a tampered or expired answer is refused', async () => {
    const [header, , signature] = jws.split('.');
    const forged = Buffer.from(JSON.stringify({ ...ANSWER, items: [] })).toString('base64url');
    const tampered = file('tampered.jws', `${header}.${forged}.${signature}`);
    const tomorrow = createVerifyAnswerCommand({ now: () => new Date(Date.now() + 25 * 3600 * 1000) });

    expect(await runCommand(verifyAnswerCommand, [tampered, '--jwks', jwksFile])).toEqual({
      code: 1,
      out: [],
      err: ['icp verify-answer: not verified: bad_signature'],
    });
    expect(await runCommand(tomorrow, [file('a.jws', jws), '--jwks', jwksFile])).toEqual({
      code: 1,
      out: [],
      err: ['icp verify-answer: not verified: expired'],
    });
  });

  it.each([
    [['x.jws'], '--jwks is required'],
    [['--jwks', 'k.json'], 'no answer given'],
    [['a.jws', '--jwks', join(tmpdir(), 'no-such-icp-jwks.json')], 'cannot read --jwks'],
  ])('exits 2 with one line for %j', async (args, message) => {
    const { code, err } = await runCommand(verifyAnswerCommand, args);

    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain(message);
  });

  it('exits 2 when the key set is not one', async () => {
    const { code, err } = await runCommand(verifyAnswerCommand, [
      jwksFile,
      '--jwks',
      file('bad.json', '{"x":1}'),
    ]);

    expect(code).toBe(2);
    expect(err[0]).toMatch(/is not a JWK Set \(no "keys" array\)/);
  });
});
