import { execFile } from 'node:child_process';
import fs, {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../config/config';
import { loadOrCreateSecret, localSecretsAsEnvironment, secretEnvVar, secretFile } from './local-secret';

const run = promisify(execFile);

/** Loads this module in a fresh Node process (transpiled by @swc/core), waits for `startAt`, then races. */
const RACER = `
  const swc = require('@swc/core');
  require.extensions['.ts'] = (module, filename) => {
    const options = { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } };
    module._compile(swc.transformFileSync(filename, options).code, filename);
  };
  const { loadOrCreateSecret } = require(process.argv[1]);
  const startAt = Number(process.argv[3]);
  while (Date.now() < startAt) {}
  process.stdout.write(loadOrCreateSecret(process.argv[2], 'race').toString('hex'));
`;

describe('loadOrCreateSecret', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-secret-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a 32-byte key in <dataDir>/secrets/<name>.key, readable by the owner only', () => {
    const key = loadOrCreateSecret(dataDir, 'sms-code-pepper', {});
    const file = join(dataDir, 'secrets', 'sms-code-pepper.key');

    expect(secretFile(dataDir, 'sms-code-pepper')).toBe(file);
    expect(key).toHaveLength(32);
    expect(readFileSync(file, 'utf8')).toBe(`${key.toString('hex')}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dataDir, 'secrets'))).toEqual(['sms-code-pepper.key']);
  });

  it('reuses the key once created, and keeps keys of different names apart', () => {
    const first = loadOrCreateSecret(dataDir, 'answer-seal', {});

    expect(loadOrCreateSecret(dataDir, 'answer-seal', {})).toEqual(first);
    expect(loadOrCreateSecret(dataDir, 'sms-code-pepper', {})).not.toEqual(first);
  });

  it('gives every process racing to create it the same key', async () => {
    const startAt = String(Date.now() + 2_000);
    const racers = Array.from({ length: 6 }, () =>
      run(process.execPath, ['-e', RACER, require.resolve('./local-secret'), dataDir, startAt], {
        cwd: process.cwd(),
        env: { PATH: process.env.PATH },
      }),
    );
    const keys = (await Promise.all(racers)).map((result) => result.stdout);

    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
    expect(readFileSync(secretFile(dataDir, 'race'), 'utf8')).toBe(`${keys[0]}\n`);
    expect(readdirSync(join(dataDir, 'secrets'))).toEqual(['race.key']);
  });

  it('reads the winner’s key when another process links its key in first', () => {
    // Two CPUs rarely interleave the racers above at the one step that matters, so also plant a
    // competitor's key (on the real file system) just before this process links its own.
    const competitor = 'cd'.repeat(32);
    let planted = false;
    const link = jest.spyOn(fs, 'linkSync').mockImplementationOnce((existing, target) => {
      writeFileSync(target, `${competitor}\n`, { mode: 0o600 });
      planted = true;
      link.mockRestore();
      fs.linkSync(existing, target);
    });
    try {
      expect(loadOrCreateSecret(dataDir, 'answer-seal', {}).toString('hex')).toBe(competitor);
    } finally {
      link.mockRestore();
    }
    expect(planted).toBe(true);
    expect(readdirSync(join(dataDir, 'secrets'))).toEqual(['answer-seal.key']);
  });

  it('takes ICP_SECRET_<NAME> over the file, without writing one', () => {
    const hex = 'ab'.repeat(32);
    const env = { ICP_SECRET_SMS_CODE_PEPPER: hex.toUpperCase() };

    expect(secretEnvVar('sms-code-pepper')).toBe('ICP_SECRET_SMS_CODE_PEPPER');
    expect(loadOrCreateSecret(dataDir, 'sms-code-pepper', env)).toEqual(Buffer.from(hex, 'hex'));
    expect(() => readdirSync(join(dataDir, 'secrets'))).toThrow(/ENOENT/);
  });

  it.each([
    ['non-hex digits', 'zz'.repeat(32)],
    ['31 bytes', 'ab'.repeat(31)],
    ['33 bytes', 'ab'.repeat(33)],
    ['free text', 'not hex at all'],
  ])(
    'rejects an ICP_SECRET_<NAME> of %s with an error naming the variable, not the value',
    (_label, value) => {
      const load = () => loadOrCreateSecret(dataDir, 'answer-seal', { ICP_SECRET_ANSWER_SEAL: value });

      expect(load).toThrow(ConfigError);
      expect(load).toThrow('ICP_SECRET_ANSWER_SEAL: must be 64 hex characters (a 32-byte key)');
      expect(load).not.toThrow(value);
    },
  );

  it.each(['TEMPORAL_ADDRESS', 'DATABASE_URL'])(
    'with %s set, requires the variable and generates no file',
    (setting) => {
      const env = { [setting]: 'somewhere:7233' };

      expect(() => loadOrCreateSecret(dataDir, 'answer-seal', env)).toThrow(
        new ConfigError(`ICP_SECRET_ANSWER_SEAL: required when ${setting} is set (64 hex characters)`),
      );
      expect(() => readdirSync(join(dataDir, 'secrets'))).toThrow(/ENOENT/);
      const hex = 'ef'.repeat(32);
      expect(loadOrCreateSecret(dataDir, 'answer-seal', { ...env, ICP_SECRET_ANSWER_SEAL: hex })).toEqual(
        Buffer.from(hex, 'hex'),
      );
    },
  );

  it('exports the data directory’s secrets as the variables several hosts read', () => {
    const env = localSecretsAsEnvironment(dataDir);

    expect(Object.keys(env)).toEqual([
      'ICP_SECRET_JWT',
      'ICP_SECRET_SMS_ANSWER',
      'ICP_SECRET_SMS_CODE_PEPPER',
      'TEMPORAL_PAYLOAD_KEYS',
      'ICP_REGISTRY_SIGNING_KEYS',
    ]);
    expect(env.ICP_SECRET_JWT).toBe(readFileSync(secretFile(dataDir, 'jwt'), 'utf8').trim());
    expect(env.TEMPORAL_PAYLOAD_KEYS).toBe(
      `local=${readFileSync(secretFile(dataDir, 'payload-key'), 'utf8').trim()}`,
    );
    expect(loadOrCreateSecret(dataDir, 'sms-answer', { ...env, DATABASE_URL: 'postgres://db/icp' })).toEqual(
      Buffer.from(env.ICP_SECRET_SMS_ANSWER as string, 'hex'),
    );
  });

  it('ignores an empty override and uses the file', () => {
    const key = loadOrCreateSecret(dataDir, 'answer-seal', { ICP_SECRET_ANSWER_SEAL: ' ' });
    expect(loadOrCreateSecret(dataDir, 'answer-seal', {})).toEqual(key);
  });

  it('refuses a damaged key file instead of replacing it', () => {
    mkdirSync(join(dataDir, 'secrets'));
    const file = secretFile(dataDir, 'answer-seal');
    writeFileSync(file, 'truncated-key');

    expect(() => loadOrCreateSecret(dataDir, 'answer-seal', {})).toThrow(ConfigError);
    expect(() => loadOrCreateSecret(dataDir, 'answer-seal', {})).toThrow(
      `${file}: not a 64-hex-character key`,
    );
    expect(readFileSync(file, 'utf8')).toBe('truncated-key');
  });

  it('refuses a name that is not a plain file name', () => {
    for (const name of ['../escape', 'Upper', '', 'a/b']) {
      expect(() => loadOrCreateSecret(dataDir, name, {})).toThrow(/must be lowercase letters, digits/);
    }
  });
});
