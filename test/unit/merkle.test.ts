/**
 * security/merkle.ts against the RFC 6962 / RFC 9162 reference vectors (the Certificate
 * Transparency test data: eight leaves, the root of every prefix, two inclusion proofs), and
 * every leaf of every tree up to 70 leaves proving its inclusion, with tampering refused.
 */
import { buildTree, inclusionProof, leafHash, rootFromInclusionProof, rootOf } from '../../security/merkle';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const tree = (leaves: Buffer[]): Buffer => buildTree(Buffer.concat(leaves.map((l) => leafHash(l))));

describe('RFC 9162 Merkle tree', () => {
  it('the reference root of every size 0..8', () => {
    for (let n = 0; n <= 8; n++) expect(hex(rootOf(tree(LEAVES.slice(0, n)), n))).toBe(ROOTS[n]);
  });

  it('the reference inclusion proofs (leaf 0 and leaf 5 of 8)', () => {
    const t = tree(LEAVES);
    expect(inclusionProof(t, 0, 8).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(t, 5, 8).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('every leaf of every tree up to 70 leaves proves its inclusion; a changed leaf, path or index does not (the size is bound by the signed statement, not the proof)', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = Array.from({ length: n }, (_, i) => Buffer.from(`leaf-${i}`));
      const t = tree(leaves);
      const root = rootOf(t, n);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(t, i, n);
        const lh = leafHash(leaves[i]);
        expect(rootFromInclusionProof(i, n, lh, proof)?.equals(root)).toBe(true);
        expect(rootFromInclusionProof(i, n, leafHash(Buffer.from('other')), proof)?.equals(root) ?? false).toBe(false);
        if (n > 1) expect(rootFromInclusionProof((i + 1) % n, n, lh, proof)?.equals(root) ?? false).toBe(false);
        if (proof.length > 0) {
          const bad = proof.map((p, k) => (k === 0 ? Buffer.alloc(32, 7) : p));
          expect(rootFromInclusionProof(i, n, lh, bad)?.equals(root) ?? false).toBe(false);
          expect(rootFromInclusionProof(i, n, lh, proof.slice(1))?.equals(root) ?? false).toBe(false);
        }
      }
    }
  });
});
