/** The perceptual hash against known image pairs (sharp-made copies vs different photos) and the multi-index search against brute force. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hamming, hashToHex, hexToHash, phashFile, phashOfPixels, popcount32, type Hash64 } from '../../src/main/finders/duplicates/phash';
import { pairsWithin } from '../../src/main/finders/duplicates/multi-index';
import { COPY_KINDS, makeCopy, seeded } from '../fixtures/near-duplicates';
import { OXFORD_PETS } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

afterAll(cleanupTempDirs);

const photos = (species: string, n: number): string[] =>
  readdirSync(join(OXFORD_PETS, species)).filter((f) => f.endsWith('.jpg')).sort().slice(0, n).map((f) => join(OXFORD_PETS, species, f));

describe('pHash', () => {
  it('popcount and hex round-trip', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0x80000001)).toBe(2);
    const h = { hi: 0xdeadbeef, lo: 0x01234567 };
    expect(hexToHash(hashToHex(h))).toEqual(h);
    expect(() => hexToHash('xyz')).toThrow(/64-bit hex/);
  });

  it('sets about half the bits and separates a left-right gradient from a top-bottom one', () => {
    const lr = new Uint8Array(1024);
    const tb = new Uint8Array(1024);
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
      lr[y * 32 + x] = x * 8;
      tb[y * 32 + x] = y * 8;
    }
    const a = phashOfPixels(lr);
    const b = phashOfPixels(tb);
    expect(hamming(a, b)).toBeGreaterThan(16);
    expect(() => phashOfPixels(new Uint8Array(10))).toThrow(/1024/);
  });

  it('resized and recompressed copies stay within 6 bits, 5%-cropped ones within 12; different photos are 14+ apart', async () => {
    const dir = makeTempDir('vcs-phash-');
    const rand = seeded(7);
    const originals = [...photos('cats', 6), ...photos('dogs', 6)];
    const hashes = await Promise.all(originals.map((p) => phashFile(p)));
    const byKind: Record<string, number[]> = {};
    for (const [i, src] of originals.entries()) {
      for (const kind of COPY_KINDS) {
        const copy = await makeCopy(src, dir, kind, rand);
        (byKind[kind] ??= []).push(hamming(hashes[i], await phashFile(copy)));
      }
    }
    expect(Math.max(...byKind.resized)).toBeLessThanOrEqual(6);
    expect(Math.max(...byKind.recompressed)).toBeLessThanOrEqual(6);
    expect(Math.max(...byKind.cropped)).toBeLessThanOrEqual(12);
    const different: number[] = [];
    for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) different.push(hamming(hashes[i], hashes[j]));
    expect(Math.min(...different)).toBeGreaterThanOrEqual(14);
  });

  it('an unreadable file is an error, not a hash', async () => {
    await expect(phashFile(join(makeTempDir(), 'missing.jpg'))).rejects.toThrow();
  });
});

describe('multi-index hashing', () => {
  it('finds exactly the pairs brute force finds, for radii 0..12', () => {
    const rand = seeded(42);
    const word = (): number => Math.floor(rand() * 2 ** 32) >>> 0;
    const hashes: Hash64[] = [];
    for (let i = 0; i < 400; i++) {
      const base = { hi: word(), lo: word() };
      hashes.push(base);
      // Plant a near copy of every fourth hash, 0..12 bits away.
      if (i % 4 === 0) {
        let { hi, lo } = base;
        const flips = Math.floor(rand() * 13);
        for (let f = 0; f < flips; f++) {
          const bit = Math.floor(rand() * 64);
          if (bit < 32) hi = (hi ^ (1 << bit)) >>> 0;
          else lo = (lo ^ (1 << (bit - 32))) >>> 0;
        }
        hashes.push({ hi, lo });
      }
    }
    for (const radius of [0, 3, 8, 12]) {
      const brute: string[] = [];
      for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) {
        if (hamming(hashes[i], hashes[j]) <= radius) brute.push(`${i}-${j}`);
      }
      const found = pairsWithin(hashes, radius).map((p) => `${p.i}-${p.j}`);
      expect(found.sort()).toEqual(brute.sort());
      expect(brute.length).toBeGreaterThan(radius === 0 ? 0 : 10);
    }
  });
});
