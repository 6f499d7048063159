import type { EventLog } from '../../../events/ports/event-log.port';
import { serviceStreamId } from '../../../events/registry/registry-streams';
import { SHA256_MERKLE, hashToBase64, parseHash } from '../../../events/registry/transparency/merkle-hash';
import { verifyConsistency, verifyInclusion } from '../../../events/registry/transparency/merkle-proofs';
import { registryLeafData } from '../../../events/registry/transparency/registry-leaf';
import { RegistryLeafTree } from '../../../services/transparency/registry-leaf-tree';
import {
  type SignedTreeHead,
  type TreeHead,
  type TreeHeadSigner,
  signTreeHead,
  treeHeadSignedBy,
} from '../../../services/transparency/tree-head';
import type { CliIo } from '../command';
import { extendWitness, firstDifferingLeaf, readWitness } from './registry-witness';

/** `icp registry sth | prove | check-consistency`: the transparency log, rebuilt from the event log. */

export interface TransparencyDeps {
  eventLog: EventLog;
  signer: TreeHeadSigner;
  /** The leaf hashes of the largest tree this host has seen (see registry-witness.ts). */
  witnessFile: string;
  now(): number;
}

export const TRANSPARENCY_EXIT = { ok: 0, failed: 1, unusable: 2 } as const;

async function currentTree(
  deps: TransparencyDeps,
): Promise<{ leaves: RegistryLeafTree; head: SignedTreeHead }> {
  const leaves = new RegistryLeafTree();
  await leaves.catchUp(deps.eventLog);
  const head = { treeSize: leaves.size, rootHash: hashToBase64(leaves.tree.root()), timestamp: deps.now() };
  extendWitness(deps.witnessFile, leaves.tree);
  return { leaves, head: signTreeHead(head, deps.signer) };
}

/** Prints the signed tree head of the registry as the log holds it now (save it to check later). */
export async function printTreeHead(deps: TransparencyDeps, io: CliIo): Promise<number> {
  const { head } = await currentTree(deps);
  io.out(JSON.stringify(head, null, 2));
  return TRANSPARENCY_EXIT.ok;
}

/** Proves every event of the service's stream included in the current tree, and checks each proof. */
export async function proveService(
  serviceNumber: string,
  deps: TransparencyDeps,
  io: CliIo,
): Promise<number> {
  const events = await deps.eventLog.readStream(serviceStreamId(serviceNumber));
  if (events.length === 0) {
    io.err(`icp registry prove: no registry events of service ${serviceNumber} in the event log`);
    return TRANSPARENCY_EXIT.failed;
  }
  const { leaves, head } = await currentTree(deps);
  const rootHash = leaves.tree.root();
  io.out(`tree head: ${head.treeSize} leaves, root ${head.rootHash}, signed by ${head.signature.keyId}`);
  let failed = 0;
  for (const event of events) {
    const leafHash = SHA256_MERKLE.leaf(registryLeafData(event));
    const leafIndex = leaves.indexOf(leafHash);
    const what = `${event.type} (revision ${event.revision})`;
    if (leafIndex === undefined) {
      failed += 1;
      io.out(`${what}: NOT in the tree`);
      continue;
    }
    const auditPath = leaves.tree.inclusionProof(leafIndex);
    const ok = verifyInclusion({ leafIndex, treeSize: head.treeSize, leafHash, auditPath, rootHash });
    if (!ok) failed += 1;
    io.out(`${what}: leaf ${leafIndex}, ${auditPath.length} hashes, ${ok ? 'included' : 'proof FAILED'}`);
  }
  io.out(
    failed === 0
      ? `all ${events.length} events proven included`
      : `${failed} of ${events.length} events not proven`,
  );
  return failed === 0 ? TRANSPARENCY_EXIT.ok : TRANSPARENCY_EXIT.failed;
}

/** A saved tree head's fields, or why the file is not one. */
export function parseSavedHead(text: string): TreeHead | SignedTreeHead | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const head = value as Partial<SignedTreeHead> | null;
  if (typeof head !== 'object' || head === null) return 'not a JSON object';
  if (!Number.isSafeInteger(head.treeSize) || (head.treeSize as number) < 0)
    return 'treeSize must be a whole number from 0';
  if (typeof head.rootHash !== 'string' || !parseHash(head.rootHash))
    return 'rootHash must be a base64 SHA-256 hash';
  return head as TreeHead;
}

/**
 * Proves the saved head's tree a prefix of the current one. When it is not, names the first leaf that
 * differs, from the leaves this host saw (the witness) against the tree rebuilt from the log.
 */
export async function checkConsistency(
  saved: TreeHead | SignedTreeHead,
  deps: TransparencyDeps,
  io: CliIo,
): Promise<number> {
  if ('signature' in saved) {
    if (saved.signature.keyId !== deps.signer.keyId) {
      io.err(
        `icp registry check-consistency: signature not checked: made by key ${saved.signature.keyId}, not this registry's`,
      );
    } else if (!treeHeadSignedBy(saved, deps.signer)) {
      io.err('icp registry check-consistency: the saved tree head’s signature does not verify');
      return TRANSPARENCY_EXIT.failed;
    }
  }
  const witness = readWitness(deps.witnessFile);
  const leaves = new RegistryLeafTree();
  await leaves.catchUp(deps.eventLog);
  const { tree } = leaves;
  const consistent =
    saved.treeSize <= tree.size &&
    verifyConsistency({
      firstSize: saved.treeSize,
      secondSize: tree.size,
      firstRoot: parseHash(saved.rootHash) as Uint8Array,
      secondRoot: tree.root(),
      proof: tree.consistencyProof(saved.treeSize),
    });
  const now = `the log's tree of ${tree.size} leaves (root ${hashToBase64(tree.root())})`;
  if (consistent) {
    extendWitness(deps.witnessFile, tree);
    io.out(`consistent: the saved tree of ${saved.treeSize} leaves is a prefix of ${now}`);
    return TRANSPARENCY_EXIT.ok;
  }
  io.out(
    `INCONSISTENT: the saved tree of ${saved.treeSize} leaves (root ${saved.rootHash}) is not a prefix of ${now}`,
  );
  io.out(await firstDifferenceLine(saved, witness, leaves, deps.eventLog));
  return TRANSPARENCY_EXIT.failed;
}

async function firstDifferenceLine(
  saved: TreeHead,
  witness: ReturnType<typeof readWitness>,
  leaves: RegistryLeafTree,
  eventLog: EventLog,
): Promise<string> {
  const savedRoot = parseHash(saved.rootHash) as Uint8Array;
  if (
    !witness ||
    witness.size < saved.treeSize ||
    hashToBase64(witness.root(saved.treeSize)) !== hashToBase64(savedRoot)
  )
    return 'the first differing leaf cannot be named: this host holds no record of the saved tree’s leaves';
  const index = firstDifferingLeaf(witness, leaves.tree);
  if (index >= leaves.size)
    return `first differing leaf: ${index} (the log holds only ${leaves.size} leaves: events were removed)`;
  const position = leaves.positionOf(index);
  const [event] = await eventLog.readAll({ fromPosition: position - 1, maxCount: 1 });
  const where = event
    ? `${event.streamId} revision ${event.revision} (${event.type})`
    : `log position ${position}`;
  return `first differing leaf: ${index}, ${where}`;
}
