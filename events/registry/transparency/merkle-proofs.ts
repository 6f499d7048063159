import { type Hash, type MerkleHasher, SHA256_MERKLE, isPowerOfTwo, sameHash } from './merkle-hash';

/**
 * The verifiers of RFC 9162: a client recomputes the root from what it was given and compares. Sizes
 * may exceed 2^32, so halving is arithmetic, not a bit shift.
 */

const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

export interface InclusionClaim {
  leafIndex: number;
  treeSize: number;
  leafHash: Hash;
  auditPath: readonly Hash[];
  rootHash: Hash;
}

/** RFC 9162 §2.1.3.2: true when the audit path leads from the leaf hash to the root at that size. */
export function verifyInclusion(claim: InclusionClaim, hasher: MerkleHasher = SHA256_MERKLE): boolean {
  const { leafIndex, treeSize } = claim;
  if (!validSize(treeSize) || !validSize(leafIndex) || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = claim.leafHash;
  for (const p of claim.auditPath) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = hasher.node(p, r);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = hasher.node(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && sameHash(r, claim.rootHash);
}

export interface ConsistencyClaim {
  firstSize: number;
  secondSize: number;
  firstRoot: Hash;
  secondRoot: Hash;
  proof: readonly Hash[];
}

/**
 * RFC 9162 §2.1.4.2: true when the tree of firstSize leaves is a prefix of the one of secondSize. The
 * RFC's algorithm needs 0 < first < second; equal sizes need equal roots and an empty proof, and any
 * tree extends the empty one.
 */
export function verifyConsistency(claim: ConsistencyClaim, hasher: MerkleHasher = SHA256_MERKLE): boolean {
  const { firstSize, secondSize, proof } = claim;
  if (!validSize(firstSize) || !validSize(secondSize) || firstSize > secondSize) return false;
  if (firstSize === secondSize) return proof.length === 0 && sameHash(claim.firstRoot, claim.secondRoot);
  if (firstSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(firstSize) ? [claim.firstRoot, ...proof] : [...proof];
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0] as Hash;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hasher.node(c, fr);
      sr = hasher.node(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = hasher.node(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && sameHash(fr, claim.firstRoot) && sameHash(sr, claim.secondRoot);
}

function validSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
