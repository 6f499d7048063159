import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, TEMPORAL_CLI_VERSION } from '../config/config';
import { freePort } from '../process/net';
import { cachedCliPath, resolveTemporalCli, TemporalCliUnavailable } from './temporal-cli';

/** These tests use the real CLI the project provisioned into the shared cache (`icp provision`). */
describe('Temporal CLI resolution order', () => {
  const sharedCache = loadConfig().cacheDir;
  let scratch: string;

  beforeAll(async () => {
    await resolveTemporalCli({ cacheDir: sharedCache });
  });
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'icp-cli-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('prefers a `temporal` on PATH and reports its real version', async () => {
    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    symlinkSync(cachedCliPath(sharedCache), join(bin, 'temporal'));

    const cli = await resolveTemporalCli({
      cacheDir: join(scratch, 'empty-cache'),
      env: { PATH: bin },
      install: false,
    });

    expect(cli).toEqual({ path: join(bin, 'temporal'), version: TEMPORAL_CLI_VERSION, source: 'path' });
  });

  it('falls back to the pinned binary in the cache', async () => {
    const cli = await resolveTemporalCli({ cacheDir: sharedCache, env: { PATH: scratch }, install: false });

    expect(cli).toEqual({ path: cachedCliPath(sharedCache), version: TEMPORAL_CLI_VERSION, source: 'cache' });
  });

  it('when nothing works, fails with one message naming every attempt and the fixes', async () => {
    const closedPort = await freePort();
    const progress: string[] = [];

    const attempt = resolveTemporalCli({
      cacheDir: join(scratch, 'empty-cache'),
      env: { PATH: scratch },
      downloadBaseUrl: `http://127.0.0.1:${closedPort}/cli/archive`,
      downloadTimeoutMs: 2_000,
      onProgress: (line) => progress.push(line),
    });

    await expect(attempt).rejects.toBeInstanceOf(TemporalCliUnavailable);
    const error = (await attempt.catch((e: unknown) => e)) as TemporalCliUnavailable;
    expect(error.attempts.map((a) => a.source)).toEqual(['path', 'cache', 'download', 'go-install']);
    expect(error.message).toMatch(
      /^No Temporal CLI could be found or installed\. Tried: path .*; cache .*; download .*; go-install \(.+\)\. Fix: /,
    );
    expect(error.message).toContain('TEMPORAL_ADDRESS');
    expect(error.message.split('\n')).toHaveLength(1);
    expect(progress.some((line) => line.includes('downloading Temporal CLI'))).toBe(true);
  });
});
