import { createHash } from 'node:crypto';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import {
  type Hash,
  type MerkleHasher,
  SHA256_MERKLE,
  hashToBase64,
  merkleHasher,
  parseHash,
} from './merkle-hash';
import { verifyConsistency, verifyInclusion } from './merkle-proofs';
import { MerkleTree } from './merkle-tree';

/** Node's SHA-256 for the big cases (the same function as the pure one, only faster). */
const FAST: MerkleHasher = merkleHasher(
  (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest()),
);

const leafData = (i: number) => utf8ToBytes(`registry event ${i}`);

function treeOf(count: number, hasher: MerkleHasher = SHA256_MERKLE): MerkleTree {
  const tree = new MerkleTree(hasher);
  for (let i = 0; i < count; i += 1) tree.appendData(leafData(i));
  return tree;
}

/** RFC 9162 §2.1 read literally: recursive MTH, PATH and PROOF over the leaf hashes, nothing stored. */
const naive = {
  k: (n: number) => 2 ** Math.ceil(Math.log2(n) - 1),
  mth(leaves: readonly Hash[]): Hash {
    if (leaves.length === 0) return SHA256_MERKLE.empty();
    if (leaves.length === 1) return leaves[0] as Hash;
    const k = naive.k(leaves.length);
    return SHA256_MERKLE.node(naive.mth(leaves.slice(0, k)), naive.mth(leaves.slice(k)));
  },
  path(m: number, leaves: readonly Hash[]): Hash[] {
    if (leaves.length <= 1) return [];
    const k = naive.k(leaves.length);
    return m < k
      ? [...naive.path(m, leaves.slice(0, k)), naive.mth(leaves.slice(k))]
      : [...naive.path(m - k, leaves.slice(k)), naive.mth(leaves.slice(0, k))];
  },
  subproof(m: number, leaves: readonly Hash[], b: boolean): Hash[] {
    if (m === leaves.length) return b ? [] : [naive.mth(leaves)];
    const k = naive.k(leaves.length);
    return m <= k
      ? [...naive.subproof(m, leaves.slice(0, k), b), naive.mth(leaves.slice(k))]
      : [...naive.subproof(m - k, leaves.slice(k), false), naive.mth(leaves.slice(0, k))];
  },
};

const hex = (hashes: readonly Hash[]) => hashes.map(bytesToHex);
const leavesOf = (tree: MerkleTree, size = tree.size) =>
  Array.from({ length: size }, (_, i) => tree.leafHash(i));

describe('the Merkle tree of RFC 9162', () => {
  it('hashes the empty tree, a leaf and a node with domain separation (0x00 leaf, 0x01 node)', () => {
    expect(bytesToHex(new MerkleTree().root())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    const one = new MerkleTree();
    one.appendData(new Uint8Array(0));
    expect(bytesToHex(one.root())).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    const leaf = SHA256_MERKLE.leaf(utf8ToBytes('a'));
    expect(bytesToHex(SHA256_MERKLE.node(leaf, leaf))).not.toBe(
      bytesToHex(SHA256_MERKLE.leaf(new Uint8Array([...leaf, ...leaf]))),
    );
  });

  it('gives the reference root of the eight RFC 6962 test leaves', () => {
    const inputs = [
      '',
      '00',
      '10',
      '2021',
      '3031',
      '40414243',
      '5051525354555657',
      '606162636465666768696a6b6c6d6e6f',
    ];
    const tree = new MerkleTree();
    inputs.forEach((input) => tree.appendData(Uint8Array.from(Buffer.from(input, 'hex'))));
    expect(bytesToHex(tree.root())).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('agrees with the literal reference on every root, audit path and consistency proof up to 40 leaves', () => {
    const tree = treeOf(40);
    for (let size = 0; size <= 40; size += 1) {
      const leaves = leavesOf(tree, size);
      expect(bytesToHex(tree.root(size))).toBe(bytesToHex(naive.mth(leaves)));
      for (let m = 0; m < size; m += 1)
        expect(hex(tree.inclusionProof(m, size))).toEqual(hex(naive.path(m, leaves)));
      for (let first = 1; first < size; first += 1)
        expect(hex(tree.consistencyProof(first, size))).toEqual(hex(naive.subproof(first, leaves, true)));
    }
  });

  it('computes the same tree with the pure SHA-256 as with node’s', () => {
    expect(bytesToHex(treeOf(1000).root(777))).toBe(bytesToHex(treeOf(1000, FAST).root(777)));
  });

  describe('10,000 leaves', () => {
    const tree = treeOf(10_000, FAST);
    const SIZES = [1, 3, 4097, 10_000];

    it('proves every leaf included at several tree sizes, and the reference agrees on the roots', () => {
      for (const size of SIZES) {
        const rootHash = tree.root(size);
        expect(bytesToHex(rootHash)).toBe(bytesToHex(naive.mth(leavesOf(tree, size))));
        for (let leafIndex = 0; leafIndex < size; leafIndex += 1) {
          const claim = { leafIndex, treeSize: size, leafHash: tree.leafHash(leafIndex), rootHash };
          const auditPath = tree.inclusionProof(leafIndex, size);
          if (!verifyInclusion({ ...claim, auditPath }, FAST))
            throw new Error(`leaf ${leafIndex} at size ${size}`);
        }
      }
    });

    it('proves consistency between every tenth tree size and the whole tree, and each next one', () => {
      const whole = tree.root();
      for (let first = 0; first <= 10_000; first += 10) {
        const firstRoot = tree.root(first);
        const toWhole = { firstSize: first, secondSize: 10_000, firstRoot, secondRoot: whole };
        const next = Math.min(first + 10, 10_000);
        const toNext = { firstSize: first, secondSize: next, firstRoot, secondRoot: tree.root(next) };
        const ok =
          verifyConsistency({ ...toWhole, proof: tree.consistencyProof(first) }, FAST) &&
          verifyConsistency({ ...toNext, proof: tree.consistencyProof(first, next) }, FAST);
        if (!ok) throw new Error(`consistency from ${first}`);
      }
    });

    it('changes the root when one leaf is changed', () => {
      const tampered = new MerkleTree(FAST);
      for (let i = 0; i < 10_000; i += 1) tampered.appendData(leafData(i === 4321 ? -1 : i));
      expect(bytesToHex(tampered.root(4321))).toBe(bytesToHex(tree.root(4321)));
      expect(bytesToHex(tampered.root())).not.toBe(bytesToHex(tree.root()));
      const claim = {
        firstSize: 5000,
        secondSize: 10_000,
        firstRoot: tree.root(5000),
        secondRoot: tampered.root(),
        proof: tampered.consistencyProof(5000),
      };
      expect(verifyConsistency(claim, FAST)).toBe(false);
    });

    it('rejects a tampered audit path, leaf, index or size', () => {
      const rootHash = tree.root();
      const good = {
        leafIndex: 777,
        treeSize: 10_000,
        leafHash: tree.leafHash(777),
        rootHash,
        auditPath: tree.inclusionProof(777),
      };
      expect(verifyInclusion(good, FAST)).toBe(true);
      const flipped = good.auditPath.map((hash, i) =>
        i === 3 ? Uint8Array.from(hash, (b, j) => (j === 0 ? b ^ 1 : b)) : hash,
      );
      expect(verifyInclusion({ ...good, auditPath: flipped }, FAST)).toBe(false);
      expect(verifyInclusion({ ...good, auditPath: good.auditPath.slice(1) }, FAST)).toBe(false);
      expect(verifyInclusion({ ...good, auditPath: [...good.auditPath, rootHash] }, FAST)).toBe(false);
      expect(verifyInclusion({ ...good, leafHash: tree.leafHash(778) }, FAST)).toBe(false);
      expect(verifyInclusion({ ...good, leafIndex: 778 }, FAST)).toBe(false);
      expect(verifyInclusion({ ...good, treeSize: 8192 }, FAST)).toBe(false);
      expect(verifyInclusion({ ...good, leafIndex: 10_000 }, FAST)).toBe(false);
    });

    it('rejects a tampered consistency proof or a swapped root', () => {
      const good = {
        firstSize: 3000,
        secondSize: 10_000,
        firstRoot: tree.root(3000),
        secondRoot: tree.root(),
        proof: tree.consistencyProof(3000),
      };
      expect(verifyConsistency(good, FAST)).toBe(true);
      const flipped = good.proof.map((hash, i) =>
        i === 1 ? Uint8Array.from(hash, (b, j) => (j === 5 ? b ^ 0x80 : b)) : hash,
      );
      expect(verifyConsistency({ ...good, proof: flipped }, FAST)).toBe(false);
      expect(verifyConsistency({ ...good, proof: good.proof.slice(0, -1) }, FAST)).toBe(false);
      expect(verifyConsistency({ ...good, firstRoot: tree.root(3001) }, FAST)).toBe(false);
      expect(verifyConsistency({ ...good, secondSize: 8192 }, FAST)).toBe(false);
      expect(verifyConsistency({ ...good, firstSize: 10_001 }, FAST)).toBe(false);
    });
  });

  it('handles the edge cases: sizes 0 and 1, equal sizes, powers of two', () => {
    const tree = treeOf(64);
    expect(tree.inclusionProof(0, 1)).toEqual([]);
    expect(
      verifyInclusion({
        leafIndex: 0,
        treeSize: 1,
        leafHash: tree.leafHash(0),
        rootHash: tree.root(1),
        auditPath: [],
      }),
    ).toBe(true);
    expect(
      verifyInclusion({
        leafIndex: 0,
        treeSize: 0,
        leafHash: tree.leafHash(0),
        rootHash: tree.root(0),
        auditPath: [],
      }),
    ).toBe(false);
    expect(() => tree.inclusionProof(0, 0)).toThrow(RangeError);
    expect(() => tree.root(65)).toThrow(RangeError);
    expect(() => tree.consistencyProof(5, 4)).toThrow(RangeError);
    const same = { firstSize: 16, secondSize: 16, firstRoot: tree.root(16), secondRoot: tree.root(16) };
    expect(tree.consistencyProof(16, 16)).toEqual([]);
    expect(verifyConsistency({ ...same, proof: [] })).toBe(true);
    expect(verifyConsistency({ ...same, secondRoot: tree.root(17), secondSize: 16, proof: [] })).toBe(false);
    expect(
      verifyConsistency({
        firstSize: 0,
        secondSize: 64,
        firstRoot: tree.root(0),
        secondRoot: tree.root(),
        proof: [],
      }),
    ).toBe(true);
    expect(
      verifyConsistency({
        firstSize: 3,
        secondSize: 64,
        firstRoot: tree.root(3),
        secondRoot: tree.root(),
        proof: [],
      }),
    ).toBe(false);
    for (const [first, second] of [
      [1, 2],
      [2, 4],
      [4, 64],
      [32, 64],
      [1, 64],
      [63, 64],
    ] as const) {
      const claim = {
        firstSize: first,
        secondSize: second,
        firstRoot: tree.root(first),
        secondRoot: tree.root(second),
      };
      expect(verifyConsistency({ ...claim, proof: tree.consistencyProof(first, second) })).toBe(true);
    }
  });

  it('writes hashes in base64 and reads them back from base64 or hex', () => {
    const hash = treeOf(5).root();
    expect(hashToBase64(hash)).toBe(Buffer.from(hash).toString('base64'));
    expect(parseHash(hashToBase64(hash))).toEqual(hash);
    expect(parseHash(Buffer.from(hash).toString('base64url'))).toEqual(hash);
    expect(parseHash(bytesToHex(hash))).toEqual(hash);
    expect(parseHash('not a hash')).toBeUndefined();
  });
});
