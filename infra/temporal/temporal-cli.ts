import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPORAL_CLI_VERSION } from '../config/config';
import { withCacheLock } from '../process/cache-lock';
import { run } from '../process/run';
import { which } from '../process/which';

export type CliSource = 'path' | 'cache' | 'download' | 'go-install';

export interface TemporalCli {
  path: string;
  version: string;
  source: CliSource;
}

export interface Attempt {
  source: CliSource;
  outcome: string;
}

export class TemporalCliUnavailable extends Error {
  override readonly name = 'TemporalCliUnavailable';
  constructor(readonly attempts: readonly Attempt[]) {
    super(
      `No Temporal CLI could be found or installed. Tried: ${attempts
        .map((a) => `${a.source} (${a.outcome})`)
        .join('; ')}. Fix: put \`temporal\` ${TEMPORAL_CLI_VERSION} on PATH, install Go so ` +
        `\`go install github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}\` can run, ` +
        `or set TEMPORAL_ADDRESS to an existing cluster.`,
    );
  }
}

export interface ResolveCliOptions {
  cacheDir: string;
  version?: string;
  env?: NodeJS.ProcessEnv;
  /** Human-readable progress lines (a first Go build takes minutes). */
  onProgress?: (line: string) => void;
  /** false: only look (PATH, cache), never download or build — what `icp doctor` does. */
  install?: boolean;
  downloadTimeoutMs?: number;
  /** Where official releases come from; tests point it at a closed local port. */
  downloadBaseUrl?: string;
}

export const OFFICIAL_DOWNLOAD_BASE_URL = 'https://temporal.download/cli/archive';

/** `temporal --version` prints `temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)`. */
export async function cliVersion(path: string): Promise<string | undefined> {
  const result = await run(path, ['--version'], { timeoutMs: 20_000 });
  if (result.code !== 0) return undefined;
  return /temporal version (\S+)/.exec(result.stdout)?.[1];
}

export function cachedCliPath(cacheDir: string, version = TEMPORAL_CLI_VERSION): string {
  return join(cacheDir, 'temporal-cli', version, 'temporal');
}

/**
 * Finds or provisions the Temporal CLI in the order DESIGN.md gives: PATH → cache → official
 * download → `go install` (the route that works on machines without access to temporal.download).
 */
export async function resolveTemporalCli(options: ResolveCliOptions): Promise<TemporalCli> {
  const version = options.version ?? TEMPORAL_CLI_VERSION;
  const env = options.env ?? process.env;
  const progress = options.onProgress ?? (() => undefined);
  const attempts: Attempt[] = [];

  const onPath = which('temporal', env.PATH);
  if (onPath) {
    const found = await cliVersion(onPath);
    if (found) return { path: onPath, version: found, source: 'path' };
    attempts.push({ source: 'path', outcome: `${onPath} did not answer --version` });
  } else {
    attempts.push({ source: 'path', outcome: 'no `temporal` on PATH' });
  }

  const cached = cachedCliPath(options.cacheDir, version);
  const fromCache = async (): Promise<TemporalCli | undefined> => {
    if (!existsSync(cached)) return undefined;
    const found = await cliVersion(cached);
    return found === version ? { path: cached, version, source: 'cache' } : undefined;
  };
  const hit = await fromCache();
  if (hit) return hit;
  attempts.push({ source: 'cache', outcome: `nothing usable at ${cached}` });
  if (options.install === false) throw new TemporalCliUnavailable(attempts);

  const dir = join(options.cacheDir, 'temporal-cli', version);
  return withCacheLock(
    dir,
    async () => {
      const another = await fromCache(); // another process may have provisioned it while we waited
      if (another) return another;
      const downloaded = await download(
        `${options.downloadBaseUrl ?? OFFICIAL_DOWNLOAD_BASE_URL}/v${version}`,
        dir,
        cached,
        options.downloadTimeoutMs ?? 15_000,
        progress,
      );
      if (downloaded.ok) return { path: cached, version, source: 'download' as const };
      attempts.push({ source: 'download', outcome: downloaded.reason });
      const built = await goInstall(version, dir, cached, env, progress);
      if (built.ok) return { path: cached, version, source: 'go-install' as const };
      attempts.push({ source: 'go-install', outcome: built.reason });
      throw new TemporalCliUnavailable(attempts);
    },
    () => progress(`waiting for another process that is provisioning the Temporal CLI in ${dir}`),
  );
}

type StepResult = { ok: true } | { ok: false; reason: string };

function platform(): { os: string; arch: string } {
  return { os: process.platform, arch: process.arch === 'x64' ? 'amd64' : process.arch };
}

async function download(
  archiveUrl: string,
  dir: string,
  target: string,
  timeoutMs: number,
  progress: (line: string) => void,
): Promise<StepResult> {
  const { os, arch } = platform();
  const url = `${archiveUrl}?platform=${os}&arch=${arch}`;
  progress(`downloading Temporal CLI from ${url}`);
  let body: ArrayBuffer;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { ok: false, reason: `${url} answered HTTP ${response.status}` };
    body = await response.arrayBuffer();
  } catch (error) {
    return { ok: false, reason: `${url} unreachable: ${(error as Error).message}` };
  }
  const work = mkdtempSync(join(dir, 'download-'));
  try {
    const archive = join(work, 'temporal.tar.gz');
    writeFileSync(archive, Buffer.from(body));
    const untar = await run('tar', ['-xzf', archive, '-C', work]);
    if (untar.code !== 0 || !existsSync(join(work, 'temporal'))) {
      return { ok: false, reason: `archive from ${url} did not contain a temporal binary` };
    }
    chmodSync(join(work, 'temporal'), 0o755);
    renameSync(join(work, 'temporal'), target);
    return { ok: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function goInstall(
  version: string,
  dir: string,
  target: string,
  env: NodeJS.ProcessEnv,
  progress: (line: string) => void,
): Promise<StepResult> {
  const go =
    which('go', env.PATH) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) return { ok: false, reason: 'no `go` on PATH' };
  const gobin = mkdtempSync(join(dir, 'gobin-'));
  mkdirSync(gobin, { recursive: true });
  const module = `github.com/temporalio/cli/cmd/temporal@v${version}`;
  progress(`building Temporal CLI ${version} with ${go} install ${module}`);
  progress(
    'a first build compiles the whole Temporal server: expect 5–10 minutes on 2 cores; later starts reuse the cache',
  );
  const started = Date.now();
  let downloads = 0;
  const ticker = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    progress(
      `still building Temporal CLI… ${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s elapsed${downloads ? `, ${downloads} modules fetched` : ''}`,
    );
  }, 20_000);
  try {
    const result = await run(
      go,
      ['install', '-ldflags', `-X github.com/temporalio/cli/temporalcli.Version=${version}`, module],
      {
        env: { ...env, GOBIN: gobin, CGO_ENABLED: '0' },
        onLine: (line) => {
          if (line.startsWith('go: downloading')) downloads += 1;
        },
      },
    );
    if (result.code !== 0) {
      return { ok: false, reason: `go install exited ${result.code}: ${lastLine(result.stderr)}` };
    }
    renameSync(join(gobin, 'temporal'), target);
    progress(`Temporal CLI ${version} built in ${Math.round((Date.now() - started) / 1000)}s → ${target}`);
    return { ok: true };
  } finally {
    clearInterval(ticker);
    rmSync(gobin, { recursive: true, force: true });
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}
