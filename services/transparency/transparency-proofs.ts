import { type Hash, parseHash } from '../../events/registry/transparency/merkle-hash';
import type { FieldError } from '../http/request-fields';
import type { RegistryLeafTree } from './registry-leaf-tree';
import type { ConsistencyRequest, InclusionRequest } from './transparency.requests';

export interface InclusionProofAnswer {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  rootHash: string;
  /** Sibling hashes from the leaf up (RFC 9162 §2.1.3.1), base64. */
  auditPath: string[];
}

export interface ConsistencyProofAnswer {
  first: number;
  second: number;
  firstRootHash: string;
  secondRootHash: string;
  /** RFC 9162 §2.1.4.1, base64. */
  proof: string[];
}

/** A proof, or why the request does not fit the tree (the field named), or no such leaf. */
export type ProofOutcome<T> =
  { ok: true; value: T } | { ok: false; error: FieldError } | { ok: false; notFound: string };

/** Node's base64 (the domain's portable one allocates per character: a proof's hot path). */
const hashToBase64 = (hash: Hash): string =>
  Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('base64');
const base64 = (hashes: readonly Hash[]) => hashes.map(hashToBase64);

/**
 * The last signed head: the largest tree proved (the tree may have grown past it while a newer head
 * is being signed) and its root, not recomputed. Absent, the whole tree.
 */
export interface SignedSize {
  treeSize: number;
  rootHash?: string;
}

function rootOf(leaves: RegistryLeafTree, size: number, signed: SignedSize): string {
  return size === signed.treeSize && signed.rootHash !== undefined
    ? signed.rootHash
    : hashToBase64(leaves.tree.root(size));
}

function beyondTree(path: string, size: number): FieldError {
  return { path, rule: 'beyond_tree', message: `${path} must not exceed the tree size ${size}` };
}

function leafIndexOf(leaves: RegistryLeafTree, leaf: string): number | { notFound: string } {
  if (/^[0-9]{1,12}$/.test(leaf)) return Number(leaf);
  const hash = parseHash(leaf);
  const index = hash && leaves.indexOf(hash);
  return index ?? { notFound: 'no leaf of the tree has this leaf hash' };
}

export function inclusionProof(
  leaves: RegistryLeafTree,
  request: InclusionRequest,
  signed: SignedSize = { treeSize: leaves.size },
): ProofOutcome<InclusionProofAnswer> {
  const treeSize = request.treeSize ?? signed.treeSize;
  if (treeSize > signed.treeSize) return { ok: false, error: beyondTree('treeSize', signed.treeSize) };
  const leafIndex = leafIndexOf(leaves, request.leaf);
  if (typeof leafIndex !== 'number') return { ok: false, ...leafIndex };
  if (leafIndex >= treeSize) {
    const message = `leaf must be below the tree size ${treeSize}`;
    return { ok: false, error: { path: 'leaf', rule: 'beyond_tree', message } };
  }
  const { tree } = leaves;
  return {
    ok: true,
    value: {
      leafIndex,
      treeSize,
      leafHash: hashToBase64(tree.leafHash(leafIndex)),
      rootHash: rootOf(leaves, treeSize, signed),
      auditPath: base64(tree.inclusionProof(leafIndex, treeSize)),
    },
  };
}

export function consistencyProof(
  leaves: RegistryLeafTree,
  request: ConsistencyRequest,
  signed: SignedSize = { treeSize: leaves.size },
): ProofOutcome<ConsistencyProofAnswer> {
  const second = request.second ?? signed.treeSize;
  if (second > signed.treeSize) return { ok: false, error: beyondTree('second', signed.treeSize) };
  if (request.first > second) return { ok: false, error: beyondTree('first', second) };
  const { tree } = leaves;
  return {
    ok: true,
    value: {
      first: request.first,
      second,
      firstRootHash: rootOf(leaves, request.first, signed),
      secondRootHash: rootOf(leaves, second, signed),
      proof: base64(tree.consistencyProof(request.first, second)),
    },
  };
}

export const inclusionProofSchema = {
  type: 'object',
  required: ['leafIndex', 'treeSize', 'leafHash', 'rootHash', 'auditPath'],
  properties: {
    leafIndex: { type: 'integer', minimum: 0 },
    treeSize: { type: 'integer', minimum: 1 },
    leafHash: { type: 'string' },
    rootHash: { type: 'string' },
    auditPath: { type: 'array', items: { type: 'string' } },
  },
};

export const consistencyProofSchema = {
  type: 'object',
  required: ['first', 'second', 'firstRootHash', 'secondRootHash', 'proof'],
  properties: {
    first: { type: 'integer', minimum: 0 },
    second: { type: 'integer', minimum: 0 },
    firstRootHash: { type: 'string' },
    secondRootHash: { type: 'string' },
    proof: { type: 'array', items: { type: 'string' } },
  },
};
