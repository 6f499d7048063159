import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HASH_BYTES, sameHash } from '../../../events/registry/transparency/merkle-hash';
import { MerkleTree } from '../../../events/registry/transparency/merkle-tree';

/**
 * The leaf hashes of the largest tree this host has seen, kept so that when the log no longer agrees
 * with a saved tree head the first leaf that changed can be named (a root alone cannot say which).
 * Raw 32-byte hashes, in leaf order. Only ever extended: a log that disagrees with it leaves it as
 * it was, as evidence.
 */
export function readWitness(file: string): MerkleTree | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const tree = new MerkleTree();
  for (let at = 0; at + HASH_BYTES <= bytes.length; at += HASH_BYTES)
    tree.appendLeafHash(new Uint8Array(bytes.subarray(at, at + HASH_BYTES)));
  return tree;
}

/** The first leaf index where the two trees differ within their common size, or that size. */
export function firstDifferingLeaf(a: MerkleTree, b: MerkleTree): number {
  const common = Math.min(a.size, b.size);
  for (let index = 0; index < common; index += 1)
    if (!sameHash(a.leafHash(index), b.leafHash(index))) return index;
  return common;
}

/** Extends the witness with the tree's leaves; false (and untouched) when it is not a prefix of it. */
export function extendWitness(file: string, tree: MerkleTree): boolean {
  const witness = readWitness(file);
  if (witness && (witness.size > tree.size || firstDifferingLeaf(witness, tree) < witness.size)) return false;
  const bytes = Buffer.alloc(tree.size * HASH_BYTES);
  for (let index = 0; index < tree.size; index += 1) bytes.set(tree.leafHash(index), index * HASH_BYTES);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return true;
}
