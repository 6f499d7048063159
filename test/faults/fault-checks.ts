import Database from 'better-sqlite3';
import { Client, Connection } from '@temporalio/client';
import { verifyFilingChain } from '../../events/filing/envelope';
import type { StoredFilingEnvelope } from '../../events/filing/filing-events';
import { FILING_STREAM_PREFIX, filingStreamId } from '../../events/filing/stream-ids';
import {
  NO_LIMIT,
  duplicateIdCount,
  prepareStatements,
  streamIdsWithPrefix,
} from '../../infra/event-log/sqlite/event-rows';
import { runIcp } from '../system/icp-process';
import type { FaultSystem } from './fault-system';
import { FAULT_PATHS } from './fault-paths';
import type { DrivenFiling, DriverTokens } from './filing-driver';
import type { RetryingHttpClient } from './resilient-http';

/**
 * What must hold after a fault run, checked from the outside: every filing in its path's end state
 * (over the API); every stream exactly its path's events in order, without gap, duplicate or broken
 * hash (the SQLite log read read-only); one workflow run per filing, closed; `icp audit verify --all`
 * clean; the read models caught up and identical to a rebuild (`icp projections rebuild --verify`).
 * Each check returns the problems it found, so a report shows them all at once.
 */

export interface CheckReport {
  readonly problems: string[];
  readonly done: string[];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** `粤ICP备2026000123号-1A`: a subject number, the service's ordinal and A (app) or X (mini program). */
const SERVICE_NUMBER = /^\p{Script=Han}ICP备\d{10}号-\d+[AX]$/u;

export async function checkAfterFaults(options: {
  system: FaultSystem;
  filings: readonly DrivenFiling[];
  http: RetryingHttpClient;
  tokens: DriverTokens;
}): Promise<CheckReport> {
  const report: CheckReport = { problems: [], done: [] };
  const { system, filings } = options;

  for (const filing of filings) {
    if (filing.error) report.problems.push(`filing #${filing.index} (${filing.path}): ${filing.error}`);
  }
  report.problems.push(...(await checkLiveStatus(options)));
  report.done.push(
    `${filings.length} filings in their end state over the API, read through a freshly started worker (every history replayed); service numbers distinct`,
  );

  report.problems.push(...checkEventLog(system.eventLogFile, filings));
  report.done.push('event log: types in order, no gap, no duplicate id, hash chains intact');

  report.problems.push(...(await checkWorkflowRuns(system.temporalAddress, filings)));
  report.done.push('Temporal: one closed run per filing');

  const audit = await runIcp(['audit', 'verify', '--all'], system.env);
  if (audit.code !== 0) {
    report.problems.push(`icp audit verify --all exited ${audit.code}: ${tail(audit.stdout + audit.stderr)}`);
  }
  report.done.push(`icp audit verify --all: exit ${audit.code} (${lastLine(audit.stdout)})`);

  report.problems.push(...(await checkReadModels(options)));
  const verified = await runIcp(['projections', 'rebuild', '--verify'], system.env);
  const lines = verified.stdout.trim().split('\n');
  if (verified.code !== 0 || lines.some((line) => !/^\w+: identical \(/.test(line))) {
    report.problems.push(
      `icp projections rebuild --verify exited ${verified.code}: ${tail(verified.stdout)}`,
    );
  }
  report.done.push(
    `read models caught up; rebuild --verify: ${lines.map((l) => l.split(' (')[0]).join(', ')}`,
  );
  return report;
}

/** Reads the log read-only, as an auditor's tool would, and compares each stream with its path. */
export function checkEventLog(file: string, filings: readonly DrivenFiling[]): string[] {
  const problems: string[] = [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const streams = streamIdsWithPrefix(db, FILING_STREAM_PREFIX);
    const expectedStreams = new Set(filings.flatMap((f) => (f.filingId ? [filingStreamId(f.filingId)] : [])));
    const strays = streams.filter((stream) => !expectedStreams.has(stream));
    if (strays.length > 0) problems.push(`${strays.length} filing stream(s) no driven filing owns`);
    const duplicateIds = duplicateIdCount(db);
    if (duplicateIds > 0) problems.push(`${duplicateIds} duplicate event id(s)`);

    const { readStream } = prepareStatements(db);
    for (const filing of filings) {
      if (!filing.filingId) continue;
      const rows = readStream.all(filingStreamId(filing.filingId), 0, NO_LIMIT);
      const label = `filing #${filing.index} (${filing.path})`;
      const types = rows.map((row) => row.type);
      const expected = FAULT_PATHS[filing.path].events as readonly string[];
      if (types.join() !== expected.join()) {
        problems.push(`${label}: events ${types.join(' → ')}; expected ${expected.join(' → ')}`);
      }
      rows.forEach((row, index) => {
        if (row.revision !== index) problems.push(`${label}: revision ${row.revision} at position ${index}`);
      });
      const envelopes: StoredFilingEnvelope[] = rows.map((row) => ({
        id: row.id,
        type: row.type,
        data: JSON.parse(row.data) as unknown,
        metadata: JSON.parse(row.metadata) as StoredFilingEnvelope['metadata'],
      }));
      envelopes.forEach((envelope, index) => {
        if (envelope.metadata.seq !== rows[index]?.revision)
          problems.push(`${label}: seq ${envelope.metadata.seq} stored at revision ${rows[index]?.revision}`);
      });
      for (const finding of verifyFilingChain(filing.filingId, envelopes)) {
        problems.push(`${label}: ${finding.rule} at seq ${finding.seq}`);
      }
    }
  } finally {
    db.close();
  }
  return problems;
}

/** Each filing has exactly one workflow run and it is closed (no stuck run, no second run). */
export async function checkWorkflowRuns(
  address: string,
  filings: readonly DrivenFiling[],
): Promise<string[]> {
  const problems: string[] = [];
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const runs = new Map<string, string[]>();
    // Visibility lags the history a little: the last run's close may need a moment to show.
    for (let attempt = 0; attempt < 20; attempt += 1) {
      runs.clear();
      for await (const execution of client.workflow.list({ query: "WorkflowType = 'filingWorkflow'" })) {
        const statuses = runs.get(execution.workflowId) ?? [];
        statuses.push(execution.status.name);
        runs.set(execution.workflowId, statuses);
      }
      if ([...runs.values()].every((statuses) => !statuses.includes('RUNNING'))) break;
      await pause(500);
    }
    for (const filing of filings) {
      if (!filing.filingId) continue;
      const statuses = runs.get(filingStreamId(filing.filingId)) ?? [];
      if (statuses.length !== 1 || statuses[0] !== 'COMPLETED') {
        problems.push(`filing #${filing.index} (${filing.path}): workflow runs ${JSON.stringify(statuses)}`);
      }
    }
  } finally {
    await connection.close();
  }
  return problems;
}

/**
 * GET /v1/filings/:id of every filing: each answer comes from a query, which a worker that has not
 * cached the run answers by replaying its whole history, so a nondeterministic history shows here.
 */
async function checkLiveStatus(options: {
  filings: readonly DrivenFiling[];
  http: RetryingHttpClient;
  tokens: DriverTokens;
}): Promise<string[]> {
  const problems: string[] = [];
  const numbers = new Map<string, number>();
  const until = Date.now() + 45_000;
  // A few at a time: the fresh worker replays each history to answer, and a query waits ~10 s at most.
  await inBatches(options.filings, 10, async (filing) => {
    if (!filing.filingId) return;
    const label = `filing #${filing.index} (${filing.path})`;
    const expected = FAULT_PATHS[filing.path].finalStatus;
    try {
      const answer = await options.http.send({
        method: 'GET',
        path: `/v1/filings/${filing.filingId}?consistency=strong`,
        token: options.tokens.auditor,
        deadlineMs: Math.max(1_000, until - Date.now()),
      });
      const { status, registrationNumber } = answer.json;
      if (answer.status !== 200 || status !== expected) {
        problems.push(`${label}: GET answered ${answer.status} ${String(status)}, expected ${expected}`);
      }
      if (expected !== 'completed') return;
      if (typeof registrationNumber !== 'string' || !SERVICE_NUMBER.test(registrationNumber)) {
        problems.push(`${label}: completed without a service number`);
      } else {
        numbers.set(registrationNumber, (numbers.get(registrationNumber) ?? 0) + 1);
      }
    } catch (error) {
      problems.push(`${label}: ${(error as Error).message}`);
    }
  });
  const shared = [...numbers.values()].filter((count) => count > 1).length;
  if (shared > 0) problems.push(`${shared} registration number(s) issued to more than one filing`);
  return problems;
}

/** The read models (fed by `icp projector`) show every filing in its end state within a bounded wait. */
async function checkReadModels(options: {
  filings: readonly DrivenFiling[];
  http: RetryingHttpClient;
  tokens: DriverTokens;
}): Promise<string[]> {
  const expected = new Map(
    options.filings.flatMap((f) => (f.filingId ? [[f.filingId, FAULT_PATHS[f.path].finalStatus]] : [])),
  );
  const deadline = Date.now() + 30_000;
  let behind: string[] = [];
  while (Date.now() < deadline) {
    const listed = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await options.http.send({
        method: 'GET',
        path: `/v1/filings?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        token: options.tokens.auditor,
      });
      if (page.status !== 200) return [`GET /v1/filings answered ${page.status}`];
      for (const item of page.json.items as Array<{ filingId: string; status: string }>) {
        listed.set(item.filingId, item.status);
      }
      cursor = typeof page.json.nextCursor === 'string' ? page.json.nextCursor : undefined;
    } while (cursor);
    behind = [...expected].filter(([id, status]) => listed.get(id) !== status).map(([id]) => id);
    if (behind.length === 0) return [];
    await pause(500);
  }
  return [`read models: ${behind.length} filing(s) not in their end state after 30 s`];
}

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>) {
  for (let from = 0; from < items.length; from += size)
    await Promise.all(items.slice(from, from + size).map(each));
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-8).join(' | ');
}
