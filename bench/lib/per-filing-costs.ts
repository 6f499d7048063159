import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import Database from 'better-sqlite3';
import type { EventLog } from '../../events/ports/event-log.port';
import type { WorkingDayCalendar } from '../../events/working-days';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { openReadModels } from '../../main/read-models';
import { startProjector } from '../../services/projections/projector';

/**
 * What one filing costs beyond the lifecycle's wall time, for docs/capacity.md: bytes it leaves in the
 * event log, in Temporal's history and in the read models, and the CPU its event-log writes and its
 * read-model projection take when measured alone.
 */

/** Bytes of every table and index of a SQLite file (its used pages, WAL included), by name. */
export function sqliteBytesByName(file: string): Map<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as Array<{
      name: string;
      bytes: number;
    }>;
    return new Map(rows.map((row) => [row.name, row.bytes]));
  } finally {
    db.close();
  }
}

export function sqliteBytes(file: string, include: (name: string) => boolean = () => true): number {
  let total = 0;
  for (const [name, bytes] of sqliteBytesByName(file)) if (include(name)) total += bytes;
  return total;
}

/** Temporal's history of every workflow on `taskQueue`: events and bytes, summed and per workflow. */
export async function temporalHistory(
  client: Client,
  taskQueue: string,
): Promise<{ workflows: number; eventsPerWorkflow: number; bytesPerWorkflow: number }> {
  let workflows = 0;
  let events = 0;
  let bytes = 0;
  for await (const execution of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
    workflows += 1;
    events += execution.historyLength;
    bytes += execution.historySize ?? Number.NaN;
  }
  const per = (total: number): number => Math.round(total / Math.max(1, workflows));
  return { workflows, eventsPerWorkflow: per(events), bytesPerWorkflow: per(bytes) };
}

/** CPU (this process, all threads) and wall milliseconds `work` took. */
async function timed(work: () => Promise<void>): Promise<{ cpuMs: number; wallMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started };
}

/** The read models' file in `dataDir`, brought up to the log's head by a projector (as the API's runs). */
export async function projectReadModels(
  dataDir: string,
  eventLog: EventLog,
  calendar: WorkingDayCalendar,
): Promise<{ cpuMs: number; wallMs: number; file: string }> {
  const store = openReadModels(dataDir, calendar);
  try {
    const projector = startProjector({ eventLog, store });
    const cost = await timed(async () => {
      await projector.caughtUp();
      await projector.stop();
    });
    return { ...cost, file: join(dataDir, 'read-models.sqlite') };
  } finally {
    await store.close();
  }
}

/**
 * The event-log writes of the events after `fromPosition`, measured alone: appended again, one event
 * per append (an upper bound: the worker sometimes appends several at once), into a fresh SQLite log.
 */
export async function eventLogWriteCost(
  eventLog: EventLog,
  fromPosition: number,
): Promise<{ events: number; cpuMs: number; wallMs: number }> {
  const events = await eventLog.readAll({ fromPosition });
  const dir = mkdtempSync(join(tmpdir(), 'icp-bench-append-'));
  const fresh = new SqliteEventLog(join(dir, 'events.sqlite'));
  try {
    const cost = await timed(async () => {
      for (const { streamId, id, type, data, metadata } of events) {
        await fresh.appendToStream(streamId, [{ id, type, data, metadata }], {
          expectedRevision: 'any',
        });
      }
    });
    return { events: events.length, ...cost };
  } finally {
    await fresh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
