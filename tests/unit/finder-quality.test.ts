/** The quality finder on real photos made tiny, stretched, uniform, dark, bright, blurred or grayscale with sharp, plus the bad files the importer reports. */
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finderOptionSchemas, type Suspect } from '../../src/shared/finder-types';
import { qualityFinder } from '../../src/main/finders/quality/quality-finder';
import { measureImage } from '../../src/main/finders/quality/image-metrics';
import { hashSamples } from '../../src/main/finders/duplicates/duplicates-finder';
import type { FinderSample } from '../../src/main/finders/finder';
import { writeCorruptJpeg, writeDecompressionBomb, writeTextAsJpeg, writeTruncatedJpeg } from '../fixtures/bad-files';
import { copyPets, onePetPhoto } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';

afterAll(cleanupTempDirs);

let dir: string;
let samples: FinderSample[];
const made: Record<string, string> = {};

beforeAll(async () => {
  dir = makeTempDir('vcs-quality-');
  const photo = onePetPhoto('dogs');
  const good = [...copyPets('cats', 12, join(dir, 'good')), ...copyPets('dogs', 12, join(dir, 'good'))];
  made.tiny = join(dir, 'tiny.jpg');
  await sharp(photo).resize(40, 30).jpeg().toFile(made.tiny);
  made.strip = join(dir, 'strip.jpg');
  await sharp(photo).resize(900, 120, { fit: 'fill' }).jpeg().toFile(made.strip);
  made.uniform = join(dir, 'uniform.png');
  await sharp({ create: { width: 300, height: 300, channels: 3, background: '#7f8a90' } }).png().toFile(made.uniform);
  made.dark = join(dir, 'dark.jpg');
  await sharp(photo).linear(0.06, 0).jpeg().toFile(made.dark);
  made.bright = join(dir, 'bright.jpg');
  await sharp(photo).linear(0.15, 225).jpeg().toFile(made.bright);
  made.blurry = join(dir, 'blurry.jpg');
  await sharp(photo).blur(12).jpeg().toFile(made.blurry);
  made.gray = join(dir, 'gray.jpg');
  await sharp(photo).grayscale().jpeg().toFile(made.gray);
  made.truncated = join(dir, 'truncated.jpg');
  writeTruncatedJpeg(photo, made.truncated);
  made.text = join(dir, 'text.jpg');
  writeTextAsJpeg(made.text);
  made.corrupt = join(dir, 'corrupt.jpg');
  writeCorruptJpeg(photo, made.corrupt);
  made.bomb = join(dir, 'bomb.png');
  await writeDecompressionBomb(made.bomb);
  const paths = [...good, ...Object.values(made)];
  samples = paths.map((path, i) => ({ sampleId: i + 1, path, originalPath: path, className: 'pet', width: null, height: null, sha256: String(i).padStart(64, '0') }));
});

async function runQuality(options: Record<string, unknown> = {}): Promise<{ suspects: Suspect[]; stats: Record<string, unknown> | null }> {
  const ws = tempWorkspace();
  let stats: Record<string, unknown> | null = null;
  const suspects = await qualityFinder.run({
    db: ws.db,
    workspaceRoot: ws.root,
    datasetId: 1,
    samples,
    options: finderOptionSchemas.quality.parse(options),
    signal: new AbortController().signal,
    progress: () => {},
    stats: (s) => (stats = s),
  });
  return { suspects, stats };
}

const reasonOf = (suspects: Suspect[], path: string): string => suspects.find((s) => samples[s.sampleId - 1].path === path)?.reason ?? '(not flagged)';

describe('quality finder', () => {
  it('flags each made-bad photo for its own reason and leaves the real photos alone', async () => {
    const { suspects, stats } = await runQuality();
    expect(reasonOf(suspects, made.tiny)).toMatch(/^tiny: 40×30 < 64 px/);
    expect(reasonOf(suspects, made.strip)).toMatch(/extreme aspect 7\.5:1/);
    expect(reasonOf(suspects, made.uniform)).toMatch(/near-uniform/);
    expect(reasonOf(suspects, made.uniform)).not.toMatch(/blurry/);
    expect(reasonOf(suspects, made.dark)).toMatch(/very dark/);
    expect(reasonOf(suspects, made.bright)).toMatch(/very bright/);
    expect(reasonOf(suspects, made.blurry)).toMatch(/blurry: Laplacian var/);
    expect(reasonOf(suspects, made.gray)).toMatch(/grayscale in a colour dataset/);
    for (const bad of [made.truncated, made.text, made.corrupt, made.bomb]) expect(reasonOf(suspects, bad)).toMatch(/^unreadable: /);
    // Unreadable files rank first; no real photo of the first 24 is flagged (the sample list's first 24 entries).
    expect(suspects[0].reason).toMatch(/^unreadable/);
    expect(suspects.filter((s) => s.sampleId <= 24).map((s) => s.reason)).toEqual([]);
    const metrics = (stats as unknown as { metrics: Record<string, number[]>; colourDataset: boolean }).metrics;
    expect((stats as unknown as { colourDataset: boolean }).colourDataset).toBe(true);
    expect(metrics.laplacianVar).toHaveLength(samples.length - 4);
  });

  it('thresholds move the verdicts: a strict blur bound flags more, minSide 10 spares the tiny image', async () => {
    const loose = await runQuality();
    const strict = await runQuality({ minLaplacianVar: 400, minSide: 10 });
    expect(strict.suspects.length).toBeGreaterThan(loose.suspects.length);
    expect(reasonOf(strict.suspects, made.tiny)).not.toMatch(/tiny/);
  });

  it('measures a real photo sensibly and names a decode failure', async () => {
    const m = await measureImage(onePetPhoto('cats'));
    expect(m.minSide).toBeGreaterThan(100);
    expect(m.std).toBeGreaterThan(20);
    expect(m.laplacianVar).toBeGreaterThan(40);
    expect(m.colourfulness).toBeGreaterThan(3);
    await expect(measureImage(made.text)).rejects.toThrow(/unsupported image format|Input file/);
  });

  it('the duplicates finder skips the same bad files (counted, not hashed) and hashes every other one', async () => {
    const { hashed, unreadable } = await hashSamples(null, samples, new AbortController().signal, () => {});
    expect(unreadable).toBe(4);
    expect(hashed).toHaveLength(samples.length - 4);
    expect(hashed.every((h) => /^[0-9a-f]{16}$/.test(h.phash))).toBe(true);
  });
});
