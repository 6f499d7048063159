import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PROJECTION_NAMES } from '../../events/ports/read-models.port';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { localSecretsAsEnvironment } from '../../infra/secrets/local-secret';
import { freePort } from '../../infra/process/net';
import { appendFilingHistories, generateFilingHistories } from '../support/filing-histories';
import { IcpProcess, isolatedEnv, runIcp } from './icp-process';

const FILINGS = 1_000;
const PROJECTIONS = PROJECTION_NAMES;

/** The lowest projection checkpoint, read as another process would (0 before the first commit). */
function lowestCheckpoint(file: string): number {
  try {
    const raw = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const rows = raw
        .prepare("SELECT name, position FROM projection_checkpoints WHERE name NOT LIKE '%__rebuild_%'")
        .all() as Array<{ position: number }>;
      return rows.length < PROJECTIONS.length ? 0 : Math.min(...rows.map((row) => row.position));
    } finally {
      raw.close();
    }
  } catch {
    return 0;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('projections as processes: `icp projector` killed mid-stream, `icp projections rebuild` under load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-projections-e2e-'));
  const readModels = join(dataDir, 'read-models.sqlite');
  let env: NodeJS.ProcessEnv;
  let log: SqliteEventLog;
  const running: IcpProcess[] = [];

  const start = (args: string[]): IcpProcess => {
    const child = new IcpProcess(args, env);
    running.push(child);
    return child;
  };

  beforeAll(() => {
    env = isolatedEnv({ ICP_DATA_DIR: dataDir, ICP_PROJECTOR: 'external' });
    log = new SqliteEventLog(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 });
  });

  afterAll(async () => {
    await Promise.all(running.map((child) => child.stop('SIGKILL')));
    await log.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a projector SIGKILLed while filings arrive and restarted ends with read models identical to a rebuild', async () => {
    const filings = generateFilingHistories({ count: FILINGS, seed: 11 });
    let appended = false;
    // Filings keep arriving in small groups (the pauses let this process's timers run meanwhile).
    const appending = (async () => {
      for (let from = 0; from < filings.length; from += 20) {
        await appendFilingHistories(log, filings.slice(from, from + 20));
        await pause(40);
      }
      appended = true;
    })();

    const kills: number[] = [];
    while (!appended || kills.length < 3) {
      const projector = start(['projector']);
      await projector.waitForOutput('projector running', 20_000);
      // Let it commit something, then kill it without warning, mid-stream.
      const before = lowestCheckpoint(readModels);
      const deadline = Date.now() + 10_000;
      while (lowestCheckpoint(readModels) <= before && Date.now() < deadline) await pause(5);
      await pause(Math.floor(Math.random() * 50));
      await projector.stop('SIGKILL');
      kills.push(lowestCheckpoint(readModels));
      if (kills.length >= 10) break;
    }
    await appending;
    const head = await log.headPosition();
    process.stdout.write(
      `projector: ${kills.length} SIGKILLs at checkpoints ${kills.join(', ')} of a log ending at ${head}\n`,
    );
    expect(kills.some((checkpoint) => checkpoint > 0 && checkpoint < head)).toBe(true);

    const last = start(['projector']);
    await last.waitForOutput('projector caught up', 60_000);
    expect(lowestCheckpoint(readModels)).toBeGreaterThanOrEqual(head);
    expect(await last.stop('SIGTERM')).toBe(0);

    const verified = await runIcp(['projections', 'rebuild', '--verify'], env);
    expect(verified.stderr).toMatch(/verify 5 projections in one pass \[#+\]\s+100%.*events\/s/);
    expect({ code: verified.code, out: verified.stdout.trim().split('\n') }).toEqual({
      code: 0,
      out: PROJECTIONS.map((name) => expect.stringMatching(new RegExp(`^${name}: identical \\(`))),
    });
  });

  it('the API keeps answering from the read models while `icp projections rebuild` swaps them', async () => {
    const port = await freePort();
    const apiEnv = {
      ...env,
      ...localSecretsAsEnvironment(dataDir),
      PORT: String(port),
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    };
    const token = await runIcp(['token', '--role', 'auditor'], apiEnv);
    expect(token.code).toBe(0);
    const api = new IcpProcess(['api'], apiEnv);
    running.push(api);
    await api.waitForOutput('api running', 60_000);
    const read = async (): Promise<{ status: number; filings: number }> => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/dashboard/sla`, {
        headers: { authorization: `Bearer ${token.stdout.trim()}` },
      });
      const body = (await response.json()) as { filings?: number };
      return { status: response.status, filings: body.filings ?? -1 };
    };
    expect(await read()).toEqual({ status: 200, filings: FILINGS });

    const rebuild = new IcpProcess(['projections', 'rebuild'], env);
    running.push(rebuild);
    let finished = false;
    void rebuild.exited.then(() => (finished = true));
    const answers: Array<{ status: number; filings: number }> = [];
    while (!finished) answers.push(await read());
    answers.push(await read());

    expect(await rebuild.exited).toBe(0);
    process.stdout.write(`API answered ${answers.length} reads during the rebuild\n`);
    expect(rebuild.stdout.trim().split('\n')).toEqual(
      PROJECTIONS.map((name) => expect.stringMatching(new RegExp(`^${name}: rebuilt from [\\d,]+ events`))),
    );
    expect(answers.length).toBeGreaterThan(3);
    expect(answers.filter((answer) => answer.status !== 200 || answer.filings !== FILINGS)).toEqual([]);
    await api.stop('SIGTERM');
  });
});
