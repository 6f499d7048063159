import { HASH_BYTES, type Hash } from './merkle-hash';

/** An append-only list of 32-byte hashes in one growing buffer (no object per hash). */
export class HashColumn {
  private buffer = new Uint8Array(HASH_BYTES * 16);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(hash: Hash): void {
    if ((this.count + 1) * HASH_BYTES > this.buffer.length) {
      const grown = new Uint8Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer.set(hash, this.count * HASH_BYTES);
    this.count += 1;
  }

  /** The hash at `index` (a view: callers must not write to it). */
  at(index: number): Hash {
    if (!Number.isInteger(index) || index < 0 || index >= this.count)
      throw new RangeError(`no hash at ${index} of ${this.count}`);
    return this.buffer.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }
}
