import { HashColumn } from './hash-column';
import { type Hash, isPowerOfTwo, type MerkleHasher, SHA256_MERKLE, splitPoint } from './merkle-hash';

/**
 * An append-only Merkle tree (RFC 9162 §2.1) that keeps the hash of every complete subtree, level by
 * level: appending a leaf is O(log n), and the root, an audit path or a consistency proof at any size
 * up to the current one is read from stored subtrees in O(log² n) hashes at most, never recomputed
 * from the leaves.
 */
export class MerkleTree {
  /** levels[h][i]: the subtree of leaves [i·2^h, (i+1)·2^h). */
  private readonly levels: HashColumn[] = [new HashColumn()];

  constructor(private readonly hasher: MerkleHasher = SHA256_MERKLE) {}

  get size(): number {
    return (this.levels[0] as HashColumn).length;
  }

  /** Adds a leaf by its data; returns its index. */
  appendData(data: Uint8Array): number {
    return this.appendLeafHash(this.hasher.leaf(data));
  }

  /** Adds a leaf by its leaf hash (SHA-256(0x00 || data)); returns its index. */
  appendLeafHash(leafHash: Hash): number {
    const index = this.size;
    (this.levels[0] as HashColumn).push(leafHash);
    let position = index;
    for (let level = 0; position % 2 === 1; level += 1) {
      const column = this.levels[level] as HashColumn;
      const parent = this.hasher.node(column.at(position - 1), column.at(position));
      if (this.levels.length === level + 1) this.levels.push(new HashColumn());
      (this.levels[level + 1] as HashColumn).push(parent);
      position = (position - 1) / 2;
    }
    return index;
  }

  leafHash(index: number): Hash {
    this.checkIndex(index, this.size);
    return (this.levels[0] as HashColumn).at(index);
  }

  /** MTH of the first `size` leaves (RFC 9162 §2.1.1); the empty tree's is SHA-256 of nothing. */
  root(size: number = this.size): Hash {
    this.checkSize(size);
    return size === 0 ? this.hasher.empty() : this.rangeHash(0, size);
  }

  /** The audit path of leaf `index` in the tree of `size` leaves, leaf's sibling first (RFC 9162 §2.1.3.1). */
  inclusionProof(index: number, size: number = this.size): Hash[] {
    this.checkSize(size);
    this.checkIndex(index, size);
    const siblings: Hash[] = [];
    let [start, end, m] = [0, size, index];
    while (end - start > 1) {
      const k = splitPoint(end - start);
      if (m < k) {
        siblings.push(this.rangeHash(start + k, end));
        end = start + k;
      } else {
        siblings.push(this.rangeHash(start, start + k));
        start += k;
        m -= k;
      }
    }
    return siblings.reverse();
  }

  /**
   * The proof that the tree of `first` leaves is a prefix of the tree of `second` (RFC 9162 §2.1.4.1);
   * empty when first is 0 or equals second.
   */
  consistencyProof(first: number, second: number = this.size): Hash[] {
    this.checkSize(second);
    if (!Number.isSafeInteger(first) || first < 0 || first > second)
      throw new RangeError(`first must be a whole number from 0 to ${second}`);
    if (first === 0 || first === second) return [];
    const siblings: Hash[] = [];
    let [start, end, m, wholeTreeKnown] = [0, second, first, true];
    for (;;) {
      const n = end - start;
      if (m === n) {
        // The old tree's own subtree: the verifier knows it only when it is the whole old tree.
        if (!wholeTreeKnown) siblings.push(this.rangeHash(start, end));
        break;
      }
      const k = splitPoint(n);
      if (m <= k) {
        siblings.push(this.rangeHash(start + k, end));
        end = start + k;
      } else {
        siblings.push(this.rangeHash(start, start + k));
        start += k;
        m -= k;
        wholeTreeKnown = false;
      }
    }
    const last = siblings.length - 1;
    const terminal = wholeTreeKnown ? [] : [siblings[last] as Hash];
    return [...terminal, ...siblings.slice(0, wholeTreeKnown ? siblings.length : last).reverse()];
  }

  /** MTH of leaves [start, end); start is a multiple of a power of two ≥ end - start (RFC 9162's splits keep this). */
  private rangeHash(start: number, end: number): Hash {
    const size = end - start;
    if (isPowerOfTwo(size)) return this.completeSubtree(start, size);
    const k = splitPoint(size);
    return this.hasher.node(this.completeSubtree(start, k), this.rangeHash(start + k, end));
  }

  private completeSubtree(start: number, size: number): Hash {
    const level = Math.log2(size);
    return (this.levels[level] as HashColumn).at(start / size);
  }

  private checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size)
      throw new RangeError(`tree size must be a whole number from 0 to ${this.size}`);
  }

  private checkIndex(index: number, size: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size)
      throw new RangeError(`leaf index must be a whole number from 0 to ${size - 1}`);
  }
}
