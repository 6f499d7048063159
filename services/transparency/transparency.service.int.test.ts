import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventLog, ReadAllOptions, RecordedEvent } from '../../events/ports/event-log.port';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { parseRegistrySigningKeys } from '../../infra/secrets/registry-signing-key';
import { treeHeadSignerOf } from '../../main/api/tree-head-signer';
import { appendRegistrySubjects } from '../../test/support/audit/transparency-registry';
import { inclusionProof } from './transparency-proofs';
import { TransparencyService } from './transparency.service';
import { treeHeadSignedBy } from './tree-head';

/**
 * The real SQLite log, whose reads can be held at a gate: a catch-up of the transparency tree that
 * is under way (its first batch read and added to the tree) and cannot finish until the test opens
 * the gate.
 */
class GatedLog {
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;
  private readsBeforeGate = 0;
  /** Resolves when a read reached the closed gate. */
  reachedGate!: Promise<void>;
  private reached: (() => void) | undefined;

  constructor(readonly log: SqliteEventLog) {}

  /** Holds the read after the next `reads` ones. */
  closeAfter(reads: number): void {
    this.readsBeforeGate = reads;
    this.gate = new Promise((resolve) => (this.openGate = resolve));
    this.reachedGate = new Promise((resolve) => (this.reached = resolve));
  }

  open(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  asEventLog(): EventLog {
    return new Proxy(this.log, {
      get: (target, name, receiver) =>
        name === 'readAll'
          ? async (options?: ReadAllOptions): Promise<RecordedEvent[]> => {
              if (this.gate && this.readsBeforeGate-- <= 0) {
                this.reached?.();
                await this.gate;
              }
              return target.readAll(options);
            }
          : (Reflect.get(target, name, receiver) as unknown),
    }) as unknown as EventLog;
  }
}

const GROWN = 1_300;

describe('TransparencyService: requests read the last signed head, never waiting for a catch-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-transparency-refresh-'));
  const log = new SqliteEventLog(join(dir, 'events.sqlite'));
  const signer = treeHeadSignerOf(
    parseRegistrySigningKeys({ ICP_REGISTRY_SIGNING_KEYS: `test=${randomBytes(32).toString('hex')}` })!,
  );

  afterAll(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers from the last signed head while a catch-up of the grown log is held up, then moves on', async () => {
    await appendRegistrySubjects(log, 10);
    const gated = new GatedLog(log);
    const service = new TransparencyService(gated.asEventLog(), signer);
    const first = await service.current();
    expect(first.head.treeSize).toBe(10 * 4);

    // More than one read batch (5,000 events): the first is in the tree when the second is held.
    await appendRegistrySubjects(log, GROWN, 10);
    gated.closeAfter(1);
    const catchingUp = service.refresh();
    await gated.reachedGate;
    const during = await service.current();
    expect(during.leaves.size).toBeGreaterThan(40);
    expect(during.head).toEqual(first.head);
    expect(treeHeadSignedBy(during.head, signer)).toBe(true);
    const proof = inclusionProof(during.leaves, { leaf: '39' }, during.head);
    expect(proof).toMatchObject({ ok: true, value: { treeSize: 40, rootHash: first.head.rootHash } });
    for (const request of [{ leaf: '1', treeSize: 41 }, { leaf: '40' }])
      expect(inclusionProof(during.leaves, request, during.head)).toMatchObject({
        ok: false,
        error: { rule: 'beyond_tree' },
      });

    gated.open();
    await catchingUp;
    const after = await service.current();
    expect(after.head.treeSize).toBe((10 + GROWN) * 4);
    expect(treeHeadSignedBy(after.head, signer)).toBe(true);
  });
});
