import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import { verifyComplianceChain } from '../../events/compliance/compliance-envelope';
import { inspectionStreamId } from '../../events/compliance/compliance-streams';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { editEvent } from '../../test/support/audit/tamper';
import { runCommand } from '../../test/cli/run-command';
import { createAuditCommand } from '../../main/cli/commands/audit.command';
import { type ComplianceCommand, handleComplianceCommand } from './compliance-commands';

/** A toy stream: notes, each recorded once by its id (the idempotency a retried activity relies on). */
type Notes = readonly string[];
const foldNotes = (recorded: readonly RecordedEvent[]): Notes =>
  recorded.map((event) => (event.data as { noteId: string }).noteId);

function addNote(streamId: string, noteId: string, first = 'InspectionOpened'): ComplianceCommand<Notes> {
  return {
    streamId,
    fold: foldNotes,
    decide: (notes) =>
      notes.includes(noteId)
        ? []
        : [{ type: notes.length === 0 ? first : 'FindingAnswered', data: { noteId } }],
    context: {
      occurredAt: '2024-04-02T02:00:00.000Z',
      recordedBy: { role: 'bureau', id: 'gd-officer' },
      causationId: `note-${noteId}`,
    },
  };
}

describe('handleComplianceCommand on a real SQLite event log', () => {
  let dir: string;
  let file: string;
  let log: SqliteEventLog;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'icp-compliance-commands-'));
    file = join(dir, 'events.sqlite');
    log = new SqliteEventLog(file);
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a command handled twice (a retried activity) appends once', async () => {
    const stream = inspectionStreamId('retried');
    const first = await handleComplianceCommand(log, addNote(stream, 'a'));
    const again = await handleComplianceCommand(log, addNote(stream, 'a'));
    expect(first.appended).toHaveLength(1);
    expect(again).toEqual({ appended: [], state: ['a'], revision: 0 });
    expect(await log.readStream(stream)).toHaveLength(1);
  });

  it('20 commands racing on one stream all land, each once, in one unbroken hash chain', async () => {
    const stream = inspectionStreamId('raced');
    await handleComplianceCommand(log, addNote(stream, 'opening'));
    const ids = Array.from({ length: 20 }, (_, index) => `n${index}`);
    await Promise.all(ids.map((id) => handleComplianceCommand(log, addNote(stream, id))));
    const recorded = await log.readStream(stream);
    expect([...foldNotes(recorded)].sort()).toEqual(['opening', ...ids].sort());
    expect(verifyComplianceChain(stream, recorded)).toEqual([]);
  });

  it('icp audit replays a compliance stream and verify --all names one that was tampered with', async () => {
    const clean = inspectionStreamId('clean');
    const victim = inspectionStreamId('victim');
    for (const stream of [clean, victim]) {
      await handleComplianceCommand(log, addNote(stream, 'opening'));
      await handleComplianceCommand(log, addNote(stream, 'answer'));
    }
    await log.close();
    editEvent(file, victim, 1, (row) => ({ ...row, data: { noteId: 'rewritten' } }));
    log = new SqliteEventLog(file);
    const audit = createAuditCommand({
      crossCheckTemporal: undefined,
      openEventLog: () => ({ eventLog: new SqliteEventLog(file), description: file }),
    });

    const replayed = await runCommand(audit, ['replay', '--stream', clean]);
    expect(replayed.code).toBe(0);
    expect(replayed.out[0]).toBe(`inspection stream ${clean}: 2 events, verified`);

    const verified = await runCommand(audit, ['verify', '--all']);
    expect(verified.code).toBe(1);
    expect(verified.out).toContain(
      'verified 1 of 2 compliance streams (inventories 0, sweeps 0, inspections 2, campaigns 0, campaign checks 0); 1 with findings',
    );
    expect(verified.out).toContain(
      `${victim}  seq 1  hash_mismatch  hash does not match the event’s content`,
    );
  });
});
