import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import {
  PROJECTION_NAMES,
  type ProjectionName,
  type ProjectionStore,
  type ReadModelStore,
} from '../../events/ports/read-models.port';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { PgAdvisoryLease } from '../../infra/postgres/pg-advisory-lease';
import { SqliteReadModelStore } from '../../infra/read-models/sqlite/sqlite-read-model-store';
import { appendFilingHistories, generateFilingHistories } from '../../test/support/filing-histories';
import { type PostgresCluster, startPostgresCluster } from '../../test/support/postgres-cluster';
import { type LeasedProjector, type ProjectorRole, startLeasedProjector } from './projector-standby';
import { readModelProjections } from './read-model-projections';
import { verifyProjection } from './rebuild';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${limitMs} ms: ${what}`);
    await pause(20);
  }
}

/** Every batch write of both projectors, in the order they started, to see whether two ever overlapped. */
class WriteJournal {
  inFlight = 0;
  mostAtOnce = 0;
  readonly started: string[] = [];

  /** The store as `who` writes it: the same rows, each applyBatch noted while it runs. */
  observe(store: ProjectionStore, who: string): ProjectionStore {
    return {
      live: (name: ProjectionName) => {
        const target = store.live(name);
        return {
          checkpoint: () => target.checkpoint(),
          advanceCheckpoint: (position: number) => target.advanceCheckpoint(position),
          applyBatch: async (events: readonly RecordedEvent[]) => {
            this.started.push(who);
            this.inFlight += 1;
            this.mostAtOnce = Math.max(this.mostAtOnce, this.inFlight);
            try {
              // Hold the write open a moment so an overlapping writer would show.
              await pause(5);
              return await target.applyBatch(events);
            } finally {
              this.inFlight -= 1;
            }
          },
        };
      },
      lowestCheckpoint: () => store.lowestCheckpoint(),
      reset: (name) => store.reset(name),
      openRebuild: (name) => store.openRebuild(name),
    };
  }
}

/** Terminates the backend holding the projector lock, as if its host had died. */
async function killLockHolder(url: string): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    const held = await admin.query(
      `SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
        WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'icp-lease:projector-test'`,
    );
    expect(held.rowCount).toBe(1);
  } finally {
    await admin.end();
  }
}

describe('two projectors behind one PostgreSQL advisory lock, on shared read models', () => {
  let cluster: PostgresCluster;
  const dir = mkdtempSync(join(tmpdir(), 'icp-projector-standby-'));
  const closing: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  });
  afterAll(async () => {
    for (const close of closing.reverse()) await close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one applies, the other stands by; the holder’s lock connection killed mid-stream, the other takes over from the checkpoint and never writes at the same time', async () => {
    const url = await cluster.newDatabase();
    const log = new SqliteEventLog(join(dir, 'events.sqlite'), { pollIntervalMs: 20 });
    closing.push(() => log.close());
    const journal = new WriteJournal();
    const roles: Record<string, ProjectorRole[]> = { a: [], b: [] };
    const open = (who: 'a' | 'b'): { projector: LeasedProjector; store: ReadModelStore } => {
      const store = SqliteReadModelStore.open(dir, readModelProjections(loadChineseCalendar()));
      const lease = new PgAdvisoryLease(url, { name: 'projector-test', heartbeatMs: 300 });
      const projector = startLeasedProjector({
        eventLog: log,
        store: journal.observe(store, who),
        lease,
        batchSize: 50,
        retryMs: 100,
        onStateChange: ({ role }) => {
          if (roles[who]!.at(-1) !== role) roles[who]!.push(role);
        },
      });
      closing.push(async () => {
        await projector.stop();
        await store.close();
      });
      return { projector, store };
    };

    const filings = generateFilingHistories({ count: 300, seed: 18 });
    await appendFilingHistories(log, filings.slice(0, 100));
    const a = open('a');
    await until('a active', () => a.projector.state().role === 'active');
    const b = open('b');
    await until('b standing by', () => roles.b!.includes('standby'));
    await a.projector.caughtUp();
    expect(journal.started.filter((who) => who === 'b')).toEqual([]);

    // More filings arrive; the holder's lock connection dies while it applies them.
    const appending = appendFilingHistories(log, filings.slice(100));
    await until('a applying the new filings', () => journal.started.length > 10);
    const writesBeforeLoss = journal.started.length;
    await killLockHolder(url);
    await until('a lost the lease', () => a.projector.state().role === 'standby');
    const writesByAAtLoss = journal.started.filter((who) => who === 'a').length;
    await until('b took over', () => b.projector.state().role === 'active');
    await appending;
    await b.projector.caughtUp();

    expect(journal.mostAtOnce).toBe(1);
    expect(journal.started.length).toBeGreaterThan(writesBeforeLoss);
    // a wrote nothing after learning of the loss (b now holds the lease, a stands by).
    expect(journal.started.filter((who) => who === 'a')).toHaveLength(writesByAAtLoss);
    expect(journal.started.slice(journal.started.indexOf('b')).every((who) => who === 'b')).toBe(true);
    expect(roles.a).toEqual(['active', 'standby']);
    expect(roles.b).toEqual(['standby', 'active']);

    const head = await log.headPosition();
    expect(await b.store.lowestCheckpoint()).toBe(head);
    for (const name of PROJECTION_NAMES) {
      const outcome = await verifyProjection({ eventLog: log, store: b.store, name });
      expect({ name, identical: outcome.identical }).toEqual({ name, identical: true });
    }
  });
});
