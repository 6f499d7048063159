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
  domainImportsMain: ['events', "import { main } from '../main/cli/main';\nexport const m = main;\n"],
  workflowImportsServices: [
    'workflows',
    "import { READ_MODELS } from '../services/tokens';\nexport const t = READ_MODELS;\n",
  ],
  activityImportsInfra: [
    'activities',
    "import { openOutbox } from '../infra/notify/outbox';\nexport const o = openOutbox;\n",
  ],
  activityImportsServices: [
    'activities',
    "import { EVENT_LOG } from '../services/tokens';\nexport const t = EVENT_LOG;\n",
  ],
  serviceImportsInfra: [
    'services',
    "import { openEventLog } from '../infra/event-log/open-event-log';\nexport const o = openEventLog;\n",
  ],
  serviceImportsMain: [
    'services',
    "import { AppModule } from '../main/app.module';\nexport const m = AppModule;\n",
  ],
  serviceImportsWorkflowCode: [
    'services',
    "import { filingWorkflow } from '../workflows/filing/filing.workflow';\nexport const w = filingWorkflow;\n",
  ],
  serviceImportsWorkflowDefinitions: [
    'services',
    "import { statusQuery } from '../workflows/filing/filing.definitions';\nexport const q = statusQuery;\n",
  ],
  infraImportsServices: [
    'infra',
    "import { READ_MODELS } from '../services/tokens';\nexport const t = READ_MODELS;\n",
  ],
  infraImportsActivities: [
    'infra',
    "import { createActivities } from '../activities';\nexport const a = createActivities;\n",
  ],
  infraImportsMain: ['infra', "import { main } from '../main/cli/main';\nexport const m = main;\n"],
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

describe('lint keeps the workflow sandbox pure and every arrow pointing inward', () => {
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

  it('fails a domain file that imports infra/ or main/', () => {
    expect(messages.get('domainImportsInfra')).toEqual([
      expect.stringContaining('events/: the domain is pure'),
    ]);
    expect(messages.get('domainImportsMain')).toEqual([
      expect.stringContaining('events/: the domain is pure'),
    ]);
  });

  it('fails a workflow file that imports services/', () => {
    expect(messages.get('workflowImportsServices')).toEqual([
      expect.stringContaining('workflows/: workflows must stay pure'),
    ]);
  });

  it('fails an activity file that imports infra/ or services/', () => {
    for (const probe of ['activityImportsInfra', 'activityImportsServices'] as const) {
      expect(messages.get(probe)).toEqual([
        expect.stringContaining('activities/: activities depend on events/'),
      ]);
    }
  });

  it('fails a service file that imports infra/ or main/', () => {
    for (const probe of ['serviceImportsInfra', 'serviceImportsMain'] as const) {
      expect(messages.get(probe)).toEqual([expect.stringContaining('services/: services receive adapters')]);
    }
  });

  it('lets a service use a workflow’s definitions, but not the workflow’s code', () => {
    expect(messages.get('serviceImportsWorkflowDefinitions')).toEqual([]);
    expect(messages.get('serviceImportsWorkflowCode')).toEqual([
      expect.stringContaining('services/: services may use a workflow’s definitions'),
    ]);
  });

  it('fails an adapter that imports services/, activities/ or main/', () => {
    for (const probe of ['infraImportsServices', 'infraImportsActivities', 'infraImportsMain'] as const) {
      expect(messages.get(probe)).toEqual([expect.stringContaining('infra/: adapters implement ports')]);
    }
  });

  it('allows a workflow to import activity types, but not activity code', () => {
    expect(messages.get('workflowImportsActivityTypes')).toEqual([]);
    expect(messages.get('workflowImportsActivityCode')).toEqual([
      expect.stringContaining('import activities with `import type`'),
    ]);
  });

  it('makes a floating promise an error', () => {
    expect(messages.get('floatingPromise')).toEqual([
      expect.stringContaining('@typescript-eslint/no-floating-promises'),
    ]);
  });
});
