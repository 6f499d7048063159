import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Throw-away files placed where each rule applies, linted in one run of the project's real ESLint config. */
const probes = {
  workflowImportsFs: ['workflows', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n"],
  workflowImportsNodeCrypto: [
    'workflows',
    "import { randomUUID } from 'node:crypto';\nexport const id = randomUUID;\n",
  ],
  domainImportsInfra: [
    'events',
    "import { loadConfig } from '../infra/config/config';\nexport const c = loadConfig;\n",
  ],
  workflowImportsActivityTypes: [
    'workflows',
    "import type { Activities } from '../activities';\nexport type A = Activities;\n",
  ],
  workflowImportsActivityCode: [
    'workflows',
    "import { createActivities } from '../activities';\nexport const f = createActivities;\n",
  ],
  floatingPromise: [
    'events',
    'async function later(): Promise<void> {}\nexport function f(): void {\n  later();\n}\n',
  ],
} as const;
type Probe = keyof typeof probes;

interface EslintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string }>;
}

function runEslint(files: string[]): EslintResult[] {
  const args = [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', ...files];
  try {
    return JSON.parse(
      execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }),
    ) as EslintResult[];
  } catch (error) {
    // ESLint exits 1 when it reports errors; the JSON report is still on stdout.
    const stdout = (error as { stdout?: string }).stdout;
    if (!stdout) throw error;
    return JSON.parse(stdout) as EslintResult[];
  }
}

describe('lint keeps the workflow sandbox and the domain pure', () => {
  const messages = new Map<Probe, string[]>();

  beforeAll(() => {
    const files = new Map<string, Probe>();
    for (const [name, [folder, source]] of Object.entries(probes) as Array<
      [Probe, readonly [string, string]]
    >) {
      const file = join(root, folder, `__lint_probe_${name}_${process.pid}.ts`);
      writeFileSync(file, source);
      files.set(file, name);
    }
    try {
      for (const result of runEslint([...files.keys()])) {
        const probe = files.get(result.filePath);
        if (probe)
          messages.set(
            probe,
            result.messages.map((m) => `${m.ruleId}: ${m.message}`),
          );
      }
    } finally {
      for (const file of files.keys()) rmSync(file, { force: true });
    }
  });

  it('fails a workflow file that imports fs', () => {
    expect(messages.get('workflowImportsFs')).toEqual([
      expect.stringContaining('@typescript-eslint/no-restricted-imports'),
    ]);
  });

  it('fails a workflow file that imports node:crypto', () => {
    expect(messages.get('workflowImportsNodeCrypto')).toEqual([
      expect.stringContaining('Node built-ins are not deterministic'),
    ]);
  });

  it('fails a domain file that imports infra/', () => {
    expect(messages.get('domainImportsInfra')).toEqual([expect.stringContaining('must stay pure')]);
  });

  it('allows a workflow to import activity types, but not activity code', () => {
    expect(messages.get('workflowImportsActivityTypes')).toEqual([]);
    expect(messages.get('workflowImportsActivityCode')).toEqual([expect.stringContaining('import type')]);
  });

  it('makes a floating promise an error', () => {
    expect(messages.get('floatingPromise')).toEqual([
      expect.stringContaining('@typescript-eslint/no-floating-promises'),
    ]);
  });
});
