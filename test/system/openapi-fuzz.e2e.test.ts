import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../infra/config/config';
import { repoRoot, runIcp } from './icp-process';
import { type StartedSystem, startSystem } from './started-system';

const FUZZ = join(repoRoot, 'test', 'system', 'fuzz');
/** Where `.ci/run` installs the pinned schemathesis (see there). */
const SCHEMATHESIS = join(loadConfig(process.env).cacheDir, 'schemathesis-venv', 'bin', 'schemathesis');

/** Runs schemathesis with every check against the started system's /openapi.json, as one caller. */
function fuzz(system: StartedSystem, token: string): Promise<{ code: number | null; report: string }> {
  const args = [
    '--config-file',
    join(FUZZ, 'schemathesis.toml'),
    'run',
    `${system.base}/openapi.json`,
    '--checks',
    'all',
    '--header',
    `Authorization: Bearer ${token}`,
    '--max-examples',
    '5',
    '--seed',
    '20261207',
    // One worker: with two, the coverage phase has been seen to fail inside schemathesis itself.
    '--workers',
    '1',
    // Generation health checks, not conformance checks: the registration form's rules between fields
    // make drawing a valid form slow and filter many draws out.
    '--suppress-health-check',
    'filter_too_much,too_slow',
    '--no-color',
  ];
  const child = spawn(SCHEMATHESIS, args, {
    env: { ...process.env, SCHEMATHESIS_HOOKS: 'schemathesis_hooks', PYTHONPATH: FUZZ },
    // Its caches and reports go to the system's data directory, not into the repository.
    cwd: system.dataDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let report = '';
  child.stdout.on('data', (chunk: Buffer) => (report += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (report += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, report })));
}

describe('the published contract, fuzzed (schemathesis against /openapi.json)', () => {
  let system: StartedSystem;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    if (!existsSync(SCHEMATHESIS)) {
      throw new Error(
        `schemathesis is not installed at ${SCHEMATHESIS}: run the schemathesis step of .ci/run`,
      );
    }
    system = await startSystem('openapi-fuzz');
    const env = { ...process.env, ICP_DATA_DIR: system.dataDir };
    for (const [role, extra] of [
      ['platform', ['--platform', 'wechat']],
      ['auditor', []],
    ] as const) {
      const issued = await runIcp(['token', '--role', role, ...extra], env);
      tokens[role] = issued.stdout.trim();
    }
  });
  afterAll(() => system?.stop());

  // Each run draws some 1,700 cases over each of the 35 or so operations the contract publishes: 150–300 s
  // on two cores, so each gets 10 minutes rather than the tier's 5.
  it.each(['platform', 'auditor'])(
    'finds no failure of any check as %s',
    async (role) => {
      const { code, report } = await fuzz(system, tokens[role] ?? '');
      console.info(`${role}: ${/\d+ generated, [^\n]*/.exec(report)?.[0] ?? 'no test cases'}`);
      if (code !== 0) throw new Error(`schemathesis exited ${code} as ${role}:\n${report}`);
      expect(report).toMatch(/Test cases:\s+\d+ generated, \d+ passed/);
    },
    600_000,
  );
});
