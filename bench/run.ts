import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuProfArgs, nodeTsArgs } from './lib/child';
import { formatProfileSummary, profilesIn, summarizeProfile } from './lib/cpu-profile';
import { profileDir as profileDirOf } from './lib/profiling';
import { type BenchResult, BENCH_DIR, machineInfo, RESULTS_DIR } from './lib/report';
import { summaryTable } from './lib/summary';

/**
 * `npm run bench [-- --quick] [--profile] [name…]`: runs each benchmark (`bench/<name>.ts`) in its
 * own process, one after another, echoes the JSON line each prints, and ends with a table of the
 * headline figures as Markdown, ready to paste into README's Benchmarks section (also written to the
 * ignored `bench/.results/summary.md`, beside each benchmark's JSON). With `--profile` every benchmark runs
 * under `node --cpu-prof` (its server processes too) and the top frames are printed.
 */
const BENCHES = [
  'lifecycle',
  'append',
  'rebuild',
  'audit',
  'api',
  'memory',
  'scale',
  'verify',
  'sweep',
] as const;
type BenchName = (typeof BENCHES)[number];

function parse(argv: readonly string[]): { flags: string[]; names: BenchName[]; profile: boolean } {
  const flags: string[] = [];
  const names: BenchName[] = [];
  for (const arg of argv) {
    if (arg === '--quick' || arg === '--profile') flags.push(arg);
    else if ((BENCHES as readonly string[]).includes(arg)) names.push(arg as BenchName);
    else
      throw new Error(
        `unknown argument ${arg}: use --quick, --profile and benchmark names (${BENCHES.join(', ')})`,
      );
  }
  // The seeded logs are cut from the largest one: rebuild (≥ 1M events) runs before audit and scale.
  const chosen = names.length > 0 ? BENCHES.filter((name) => names.includes(name)) : [...BENCHES];
  return { flags, names: chosen, profile: flags.includes('--profile') };
}

function runOne(
  name: BenchName,
  flags: readonly string[],
  profileDir: string | undefined,
): Promise<{ result?: BenchResult; code: number | null; elapsedS: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      nodeTsArgs(join(BENCH_DIR, `${name}.ts`), flags, cpuProfArgs(profileDir)),
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      process.stdout.write(chunk);
    });
    child.on('exit', (code) => {
      const line = stdout
        .split('\n')
        .reverse()
        .find((text) => text.startsWith('{'));
      let result: BenchResult | undefined;
      try {
        result = line ? (JSON.parse(line) as BenchResult) : undefined;
      } catch {
        result = undefined;
      }
      resolve({ result, code, elapsedS: Math.round((performance.now() - started) / 100) / 10 });
    });
  });
}

async function main(): Promise<number> {
  const { flags, names, profile } = parse(process.argv.slice(2));
  const machine = machineInfo();
  process.stderr.write(
    `benchmarks ${names.join(', ')}${flags.length ? ` (${flags.join(' ')})` : ''} on ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverage1m}\n`,
  );
  const started = performance.now();
  const results: BenchResult[] = [];
  const failed: string[] = [];
  for (const name of names) {
    process.stderr.write(`\n=== ${name}\n`);
    const profileDir = profile ? profileDirOf(name) : undefined;
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    // The benchmarks profile their measured phases themselves (bench/lib/profiling.ts) and their server
    // processes with --cpu-prof; lifecycle runs its workers in-process, whose workflow threads only
    // --cpu-prof on the whole process can see.
    const { result, code, elapsedS } = await runOne(
      name,
      flags,
      profileDir && name === 'lifecycle' ? profileDir : undefined,
    );
    process.stderr.write(
      `=== ${name}: ${code === 0 && result ? 'done' : `FAILED (exit ${code})`} in ${elapsedS} s\n`,
    );
    if (code === 0 && result) results.push(result);
    else failed.push(name);
    if (profileDir) {
      for (const file of profilesIn(profileDir)) {
        const summary = formatProfileSummary(summarizeProfile(file, 12));
        process.stderr.write(`${summary}\n`);
        writeFileSync(`${file}.txt`, `${summary}\n`);
      }
    }
  }
  const totalS = Math.round((performance.now() - started) / 1000);
  const table = summaryTable(results, { totalS, quick: flags.includes('--quick') });
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'summary.md'), `${table}\n`);
  process.stdout.write(`\n${table}\n`);
  if (failed.length > 0) process.stderr.write(`failed: ${failed.join(', ')}\n`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
