import { createHash } from 'node:crypto';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import { type Hash, type MerkleHasher, merkleHasher } from '../../events/registry/transparency/merkle-hash';
import { MerkleTree } from '../../events/registry/transparency/merkle-tree';
import {
  TRANSPARENCY_READ_PREFIX,
  isTransparencyLeafStream,
  registryLeafData,
} from '../../events/registry/transparency/registry-leaf';

const READ_BATCH = 5_000;

/** The tree's hashes with node's SHA-256: the same function as the domain's pure one, several times faster. */
export const NODE_SHA256_MERKLE: MerkleHasher = merkleHasher((bytes) =>
  createHash('sha256').update(bytes).digest(),
);

/**
 * The transparency tree of the registry, derived from the event log: one leaf per event of a subject
 * or service stream, in commit order. Rebuilding it from the same log gives the same tree.
 */
export class RegistryLeafTree {
  readonly tree: MerkleTree;
  /** The log position each leaf was read at (to name a leaf's event). */
  private readonly positions: number[] = [];
  private readonly byHash = new Map<string, number>();
  /** The last log position read (every registry event up to it is in the tree). */
  private readPosition = 0;

  constructor(hasher: MerkleHasher = NODE_SHA256_MERKLE) {
    this.tree = new MerkleTree(hasher);
  }

  get size(): number {
    return this.tree.size;
  }

  /** Reads the registry events the log committed since the last call; returns how many leaves it added. */
  async catchUp(eventLog: EventLog): Promise<number> {
    const before = this.size;
    for (;;) {
      const batch = await eventLog.readAll({
        fromPosition: this.readPosition,
        maxCount: READ_BATCH,
        streamPrefix: TRANSPARENCY_READ_PREFIX,
      });
      batch.forEach((event) => this.add(event));
      if (batch.length < READ_BATCH) return this.size - before;
    }
  }

  /** Adds one event read from the log (events of other streams only move the read position). */
  add(event: RecordedEvent): void {
    if (event.position <= this.readPosition) return;
    this.readPosition = event.position;
    if (!isTransparencyLeafStream(event.streamId)) return;
    const index = this.tree.appendData(registryLeafData(event));
    this.positions.push(event.position);
    this.byHash.set(hashKey(this.tree.leafHash(index)), index);
  }

  /** The index of the leaf with this leaf hash, or undefined. */
  indexOf(leafHash: Hash): number | undefined {
    return this.byHash.get(hashKey(leafHash));
  }

  /** The log position of leaf `index`'s event. */
  positionOf(index: number): number {
    const position = this.positions[index];
    if (position === undefined) throw new RangeError(`no leaf ${index} of ${this.size}`);
    return position;
  }
}

/** Base64 is shorter than hex: the map holds one key per leaf. */
function hashKey(hash: Hash): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('base64');
}
