import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import { serviceStreamId } from '../../../events/registry/registry-streams';
import { SHA256_MERKLE, hashToBase64, parseHash } from '../../../events/registry/transparency/merkle-hash';
import { verifyConsistency, verifyInclusion } from '../../../events/registry/transparency/merkle-proofs';
import {
  isTransparencyLeafStream,
  registryLeafData,
} from '../../../events/registry/transparency/registry-leaf';
import { SqliteEventLog } from '../../../infra/event-log/sqlite/sqlite-event-log';
import { RegistryLeafTree } from '../../../services/transparency/registry-leaf-tree';
import { consistencyProof, inclusionProof } from '../../../services/transparency/transparency-proofs';
import { TransparencyService } from '../../../services/transparency/transparency.service';
import { type SignedTreeHead, treeHeadSignedBy } from '../../../services/transparency/tree-head';
import { runCommand } from '../../../test/cli/run-command';
import { writeRegistry } from '../../../test/support/audit/registry-fixture';
import { editEvent } from '../../../test/support/audit/tamper';
import { appendRegistrySubjects, serviceNumberOf } from '../../../test/support/audit/transparency-registry';
import { treeHeadSignerOf } from '../../api/tree-head-signer';
import { parseRegistrySigningKeys } from '../../../infra/secrets/registry-signing-key';
import { createRegistryCommand } from './registry.command';

const SUBJECTS = 2_500;
const hashes = (values: readonly string[]) => values.map((value) => parseHash(value) as Uint8Array);

describe('the registry transparency log over a real SQLite event log (10,000 registry events)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-transparency-'));
  const file = join(dir, 'events.sqlite');
  const signer = treeHeadSignerOf(
    parseRegistrySigningKeys({ ICP_REGISTRY_SIGNING_KEYS: `test=${randomBytes(32).toString('hex')}` })!,
  );
  const witnessFile = join(dir, 'transparency', 'leaf-hashes.bin');
  const registry = createRegistryCommand({
    openEventLog: () => ({ eventLog: new SqliteEventLog(file), description: `sqlite:${file}` }),
    now: () => Date.parse('2026-12-07T04:00:00Z'),
    transparency: () => ({ signer, witnessFile }),
  });
  let leafEvents: RecordedEvent[];

  async function withLog<T>(work: (log: SqliteEventLog) => Promise<T>): Promise<T> {
    const log = new SqliteEventLog(file);
    try {
      return await work(log);
    } finally {
      await log.close();
    }
  }

  beforeAll(async () => {
    await withLog(async (log) => {
      await writeRegistry(log);
      await appendRegistrySubjects(log, SUBJECTS);
      leafEvents = (await log.readAll({ streamPrefix: 'registry-' })).filter((event) =>
        isTransparencyLeafStream(event.streamId),
      );
    });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('proves every leaf included against the signed tree head', async () => {
    expect(leafEvents.length).toBeGreaterThanOrEqual(10_000);
    await withLog(async (log) => {
      const { leaves, head } = await new TransparencyService(log, signer).current();
      expect(treeHeadSignedBy(head, signer)).toBe(true);
      expect(head.treeSize).toBe(leafEvents.length);
      const rootHash = parseHash(head.rootHash) as Uint8Array;
      leafEvents.forEach((event, leafIndex) => {
        const leafHash = SHA256_MERKLE.leaf(registryLeafData(event));
        const byIndex = inclusionProof(leaves, { leaf: String(leafIndex) });
        if (!byIndex.ok) throw new Error(`no proof of leaf ${leafIndex}`);
        const proof = byIndex.value;
        const claim = {
          leafIndex,
          treeSize: head.treeSize,
          leafHash,
          rootHash,
          auditPath: hashes(proof.auditPath),
        };
        if (proof.leafHash !== hashToBase64(leafHash) || !verifyInclusion(claim))
          throw new Error(`leaf ${leafIndex} (${event.streamId} ${event.revision}) does not verify`);
      });
      const byHash = inclusionProof(leaves, {
        leaf: hashToBase64(SHA256_MERKLE.leaf(registryLeafData(leafEvents[4321] as RecordedEvent))),
      });
      expect(byHash).toMatchObject({ ok: true, value: { leafIndex: 4321 } });
    });
  });

  it('proves consistency between every tenth tree size, and with the signed head', async () => {
    await withLog(async (log) => {
      const { leaves, head } = await new TransparencyService(log, signer).current();
      for (let first = 0; first <= head.treeSize; first += 10) {
        for (const second of [Math.min(first + 10, head.treeSize), head.treeSize]) {
          const answer = consistencyProof(leaves, { first, second });
          if (!answer.ok) throw new Error(`no proof from ${first} to ${second}`);
          const { firstRootHash, secondRootHash, proof } = answer.value;
          const claim = {
            firstSize: first,
            secondSize: second,
            firstRoot: parseHash(firstRootHash) as Uint8Array,
            secondRoot: parseHash(secondRootHash) as Uint8Array,
            proof: hashes(proof),
          };
          if (!verifyConsistency(claim)) throw new Error(`consistency from ${first} to ${second}`);
        }
      }
      expect(consistencyProof(leaves, { first: 0 })).toMatchObject({
        ok: true,
        value: { secondRootHash: head.rootHash },
      });
    });
  });

  it('icp registry prove verifies a service’s events client-side; check-consistency passes while the log only grows, then names the first leaf a forger rewrote', async () => {
    const sth = await runCommand(registry, ['sth']);
    expect(sth.code).toBe(0);
    const oldHead = JSON.parse(sth.out.join('\n')) as SignedTreeHead;
    expect(oldHead.treeSize).toBe(leafEvents.length);
    const oldFile = join(dir, 'old-sth.json');
    writeFileSync(oldFile, JSON.stringify(oldHead));

    const proved = await runCommand(registry, ['prove', serviceNumberOf(7)]);
    expect(proved).toMatchObject({ code: 0, err: [] });
    expect(proved.out.at(-1)).toBe('all 2 events proven included');

    await withLog((log) => appendRegistrySubjects(log, 50, SUBJECTS));
    const grown = await runCommand(registry, ['check-consistency', oldFile]);
    expect(grown.out.join('\n')).toMatch(
      /^consistent: the saved tree of 10011 leaves is a prefix of the log's tree of 10211 leaves/,
    );
    expect(grown.code).toBe(0);

    const victim = serviceStreamId(serviceNumberOf(1234));
    const victimLeaf = leafEvents.findIndex((event) => event.streamId === victim && event.revision === 0);
    const rebuild = () =>
      withLog(async (log) => {
        const tree = new RegistryLeafTree();
        await tree.catchUp(log);
        return tree.tree;
      });
    const before = await rebuild();
    editEvent(file, victim, 0, (row) => ({ ...row, data: { ...row.data, name: '改过的名字' } }));
    const after = await rebuild();
    const rootAt = (tree: typeof before, size: number) => hashToBase64(tree.root(size));
    expect(rootAt(after, after.size)).not.toBe(rootAt(before, before.size));
    expect(rootAt(after, victimLeaf)).toBe(rootAt(before, victimLeaf));
    expect(rootAt(after, victimLeaf + 1)).not.toBe(rootAt(before, victimLeaf + 1));

    const tampered = await runCommand(registry, ['check-consistency', oldFile]);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toEqual([
      expect.stringMatching(/^INCONSISTENT: the saved tree of 10011 leaves/),
      `first differing leaf: ${victimLeaf}, ${victim} revision 0 (ServiceRegistered)`,
    ]);
  });

  it('refuses bad usage and a file that is not a tree head with one line, exit 2, and a forged head, exit 1', async () => {
    const notHead = join(dir, 'not-sth.json');
    writeFileSync(notHead, JSON.stringify({ treeSize: -1, rootHash: 'x' }));
    const cases: Array<[string[], RegExp]> = [
      [['prove'], /^icp registry prove: give exactly a service number/],
      [
        ['prove', 'not-a-number'],
        /^icp registry prove: serviceNumber "not-a-number" is not a service number/,
      ],
      [['check-consistency', notHead], /is not a saved tree head: treeSize must be a whole number from 0$/],
      [['check-consistency', join(dir, 'missing.json')], /is not a saved tree head: ENOENT$/],
      [['sth', 'extra'], /^icp registry sth: takes no arguments/],
    ];
    for (const [args, message] of cases) {
      const run = await runCommand(registry, args);
      expect(run.code).toBe(2);
      expect(run.err).toEqual([expect.stringMatching(message)]);
    }

    const head = JSON.parse((await runCommand(registry, ['sth'])).out.join('\n')) as SignedTreeHead;
    const forged = join(dir, 'forged-sth.json');
    writeFileSync(forged, JSON.stringify({ ...head, treeSize: head.treeSize - 1 }));
    const run = await runCommand(registry, ['check-consistency', forged]);
    expect(run).toMatchObject({
      code: 1,
      err: ['icp registry check-consistency: the saved tree head’s signature does not verify'],
    });
  });
});
