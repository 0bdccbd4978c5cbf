/** Robustness splits on real photos: deterministic corruptions with the intended effect, whole derived versions kept out of the samples, one eval run per derived version. */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORRUPTION_SEVERITIES } from '../../src/shared/robustness-types';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { corruptImage } from '../../src/main/robustness/corruptions';
import { readMediaFile } from '../../src/main/host/media-files';
import { listDerivedVersions, robustnessReport } from '../../src/main/robustness/derived-store';
import { deriveRobustnessVersions } from '../../src/main/robustness/derive-versions';
import { createRobustnessRuns } from '../../src/main/robustness/robustness-evals';
import { deriveSeed } from '../../src/main/splits/seeded-rng';
import { getDataset } from '../../src/main/datasets/dataset-service';
import { createVersion, listVersions, versionSamples } from '../../src/main/versions/snapshot';
import { imagePath } from '../../src/main/workspace/workspace';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pw: PetsWorkspace;
const SEED = 5;
const count = (sql: string, ...args: unknown[]) => pw.db.prepare(sql).pluck().get(...args) as number;
const ext = (hash: string) => pw.db.prepare('SELECT ext FROM images WHERE hash = ?').pluck().get(hash) as string;
const stored = (hash: string) => imagePath(pw.ws, hash, ext(hash));

/** Variance of the 3×3 Laplacian over the grayscale image: the usual sharpness measure (blur lowers it). */
async function laplacianVariance(file: string): Promise<number> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const v = data[i - 1] + data[i + 1] + data[i - w] + data[i + w] - 4 * data[i];
      sum += v;
      sq += v * v;
      n += 1;
    }
  }
  return sq / n - (sum / n) ** 2;
}

beforeAll(async () => {
  pw = await makePetsWorkspace(4); // 8 photos, 4 of them in the test split
}, 120_000);
afterAll(() => pw?.cleanup());

describe('robustness splits', () => {
  it('derives every corruption × severity from the test split as whole versions, outside the dataset’s samples', async () => {
    const samplesBefore = count('SELECT COUNT(*) FROM samples WHERE dataset_id = ?', pw.datasetId);
    const imagesBefore = count('SELECT COUNT(*) FROM images');
    const messages: string[] = [];
    const result = await deriveRobustnessVersions(pw.ws, pw.version.id, { seed: SEED, onProgress: (_, m) => messages.push(m) });
    expect(result).toMatchObject({ sourceVersionId: pw.version.id, cancelled: false, imagesWritten: 12 * 4 });
    expect(result.derivedVersionIds).toHaveLength(12);
    expect(messages.at(-1)).toBe('12 robustness splits of "v1"');

    expect(count('SELECT COUNT(*) FROM samples WHERE dataset_id = ?', pw.datasetId)).toBe(samplesBefore);
    expect(count('SELECT COUNT(*) FROM images')).toBe(imagesBefore + 48);
    expect(listVersions(pw.db, pw.datasetId).map((v) => v.name)).toEqual(['v1']);
    expect(getDataset(pw.db, pw.datasetId).versionCount).toBe(1);

    const test = versionSamples(pw.db, pw.version.id).filter((s) => s.split === 'test');
    const derived = listDerivedVersions(pw.db, pw.version.id);
    expect(derived.map((d) => `${d.corruption}${d.severity}`)).toEqual(['blur1', 'blur2', 'blur3', 'noise1', 'noise2', 'noise3', 'jpeg1', 'jpeg2', 'jpeg3', 'downscale1', 'downscale2', 'downscale3']);
    expect(derived[0]).toMatchObject({ name: 'v1 · blur σ 1', param: 1, seed: SEED, sampleCount: 4, sourceVersionId: pw.version.id });
    for (const d of derived) {
      const rows = versionSamples(pw.db, d.versionId);
      expect(rows.map((r) => [r.sampleId, r.label, r.originalPath, r.split])).toEqual(test.map((t) => [t.sampleId, t.label, t.originalPath, 'test']));
      for (const [i, r] of rows.entries()) {
        expect(r.imageHash).not.toBe(test[i].imageHash);
        expect(createHash('sha256').update(readFileSync(stored(r.imageHash))).digest('hex')).toBe(r.imageHash);
      }
    }
    // Media by (sample, version) serves the derived copy and its thumbnail; by sample alone, the dataset's own image.
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const frozen = versionSamples(pw.db, derived[0].versionId)[0];
    expect(sha((await readMediaFile(pw.ws, 'image', frozen.sampleId, derived[0].versionId)).bytes)).toBe(frozen.imageHash);
    expect(sha((await readMediaFile(pw.ws, 'image', frozen.sampleId)).bytes)).toBe(test[0].imageHash);
    const thumbs = [await readMediaFile(pw.ws, 'thumb', frozen.sampleId, derived[0].versionId), await readMediaFile(pw.ws, 'thumb', frozen.sampleId)];
    expect(thumbs.map((t) => t.contentType)).toEqual(['image/webp', 'image/webp']);
    expect(thumbs[0].bytes.equals(thumbs[1].bytes)).toBe(false);
    await expect(readMediaFile(pw.ws, 'image', frozen.sampleId, 99_999)).rejects.toThrow(`sample ${frozen.sampleId} of version 99999 not found`);
    // Versions stay immutable.
    expect(() => pw.db.prepare('INSERT INTO version_samples (version_id, sample_id, image_hash, original_path, label) VALUES (?, 1, ?, ?, ?)').run(derived[0].versionId, 'x', 'x', 'cat')).toThrow(/immutable/);

    // A rerun makes nothing new.
    const again = await deriveRobustnessVersions(pw.ws, pw.version.id, { seed: SEED });
    expect(again).toEqual({ ...result, imagesWritten: 0 });
  }, 300_000);

  it('is deterministic (seeded noise) and damages the images as intended', async () => {
    const test = versionSamples(pw.db, pw.version.id).filter((s) => s.split === 'test');
    const derived = listDerivedVersions(pw.db, pw.version.id);
    const rowsOf = (corruption: string) => derived.filter((d) => d.corruption === corruption).map((d) => versionSamples(pw.db, d.versionId));
    const src = stored(test[0].imageHash);

    // The stored noise image is reproduced byte for byte from the seed; another seed gives other noise.
    const noise2 = rowsOf('noise')[1][0];
    const again = await corruptImage(src, 'noise', CORRUPTION_SEVERITIES.noise[1], deriveSeed(SEED, `noise:2:${test[0].imageHash}`));
    expect(createHash('sha256').update(again.bytes).digest('hex')).toBe(noise2.imageHash);
    const other = await corruptImage(src, 'noise', CORRUPTION_SEVERITIES.noise[1], deriveSeed(SEED + 1, `noise:2:${test[0].imageHash}`));
    expect(other.bytes.equals(again.bytes)).toBe(false);

    for (const [i, t] of test.entries()) {
      const original = stored(t.imageHash);
      const meta = await sharp(original).metadata();
      // Blur: sharpness (Laplacian variance) falls with every severity.
      const lap = [await laplacianVariance(original), ...(await Promise.all(rowsOf('blur').map((rows) => laplacianVariance(stored(rows[i].imageHash)))))];
      for (let k = 1; k < lap.length; k++) expect(lap[k]).toBeLessThan(lap[k - 1]);
      // JPEG: lower quality, smaller file.
      const sizes = rowsOf('jpeg').map((rows) => statSync(stored(rows[i].imageHash)).size);
      expect(sizes[1]).toBeLessThan(sizes[0]);
      expect(sizes[2]).toBeLessThan(sizes[1]);
      // Downscale: each side times the factor.
      for (const [k, rows] of rowsOf('downscale').entries()) {
        const m = await sharp(stored(rows[i].imageHash)).metadata();
        const f = CORRUPTION_SEVERITIES.downscale[k];
        expect([m.width, m.height]).toEqual([Math.round((meta.width as number) * f), Math.round((meta.height as number) * f)]);
      }
      // Noise: the mean absolute pixel change grows with sigma (≈ 0.8·σ for Gaussian noise, less where clipped).
      const base = await sharp(original).removeAlpha().raw().toBuffer();
      const diffs = await Promise.all(
        rowsOf('noise').map(async (rows) => {
          const px = await sharp(stored(rows[i].imageHash)).raw().toBuffer();
          let d = 0;
          for (let j = 0; j < px.length; j++) d += Math.abs(px[j] - base[j]);
          return d / px.length;
        }),
      );
      expect(diffs[0]).toBeGreaterThan(0.5 * 0.8 * 10);
      expect(diffs[1]).toBeGreaterThan(diffs[0]);
      expect(diffs[2]).toBeGreaterThan(diffs[1]);
    }
  }, 300_000);

  it('a cancelled derivation keeps only whole versions, and the rerun finishes the rest', async () => {
    const v2 = createVersion(pw.db, pw.datasetId, 'v2');
    const controller = new AbortController();
    let n = 0;
    const cancelled = await deriveRobustnessVersions(pw.ws, v2.id, {
      seed: SEED,
      signal: controller.signal,
      onProgress: () => {
        if (++n === 6) controller.abort(); // mid-way through the second version
      },
    });
    expect(cancelled).toMatchObject({ cancelled: true, imagesWritten: 6 });
    expect(cancelled.derivedVersionIds).toHaveLength(1);
    expect(listDerivedVersions(pw.db, v2.id).map((d) => [d.corruption, d.severity, d.sampleCount])).toEqual([['blur', 1, 4]]);
    const rest = await deriveRobustnessVersions(pw.ws, v2.id, { seed: SEED });
    expect(rest).toMatchObject({ cancelled: false, imagesWritten: 11 * 4 });
    expect(rest.derivedVersionIds[0]).toBe(cancelled.derivedVersionIds[0]);
    expect(listDerivedVersions(pw.db, v2.id)).toHaveLength(12);
  }, 300_000);

  it('refuses a derived version as a source and a snapshot without a test split', async () => {
    const derived = listDerivedVersions(pw.db, pw.version.id)[0];
    await expect(deriveRobustnessVersions(pw.ws, derived.versionId)).rejects.toThrow('"v1 · blur σ 1" is itself a robustness split; derive from the snapshot it came from');
    pw.db.prepare(`UPDATE samples SET split = 'train' WHERE dataset_id = ?`).run(pw.datasetId);
    const trainOnly = createVersion(pw.db, pw.datasetId, 'train-only');
    await expect(deriveRobustnessVersions(pw.ws, trainOnly.id)).rejects.toThrow('Snapshot "train-only" has no test split to derive from');
  });

  it('evaluates a run’s configuration on every derived version: one paired run each, accuracy side by side', async () => {
    const base = { versionId: pw.version.id, modelId: pw.model.id, mode: 'classifier' as const, seed: 23, nSamples: null, classMapping: 'imagenet-cats-vs-dogs' };
    const template = await runEval(pw.ws, (await createEvalRun(pw.db, { ...base, name: 'mobilenet', split: 'test' })).id);
    const runs = await createRobustnessRuns(pw.db, template.id);
    const derived = listDerivedVersions(pw.db, pw.version.id);
    expect(runs.map((r) => r.versionId)).toEqual(derived.map((d) => d.versionId));
    expect(runs[0].name).toBe('mobilenet · blur σ 1');
    const order = (runId: number) => evalSampleRows(pw.db, runId).map((r) => r.sampleId);
    for (const r of runs) {
      expect(r).toMatchObject({ split: 'test', mode: 'classifier', seed: 23, classMapping: 'imagenet-cats-vs-dogs', modelId: pw.model.id, plannedCount: 4 });
      expect(order(r.id)).toEqual(order(template.id));
    }
    // Idempotent: a second action returns the same runs.
    expect((await createRobustnessRuns(pw.db, template.id)).map((r) => r.id)).toEqual(runs.map((r) => r.id));
    for (const r of runs) await runEval(pw.ws, r.id);

    const report = robustnessReport(pw.db, pw.version.id);
    expect(report.rows).toHaveLength(1);
    const row = report.rows[0];
    expect(row.title).toBe('mobilenet · classifier (imagenet-cats-vs-dogs)');
    expect(row.clean).toMatchObject({ runId: template.id, status: 'done', accuracy: template.metrics?.accuracy });
    expect(Object.keys(row.cells).map(Number)).toEqual(derived.map((d) => d.versionId));
    for (const c of Object.values(row.cells)) expect(c).toMatchObject({ status: 'done', doneCount: 4, plannedCount: 4, accuracy: expect.any(Number) });
    console.log(
      'robustness (4 test photos, MobileNetV2): clean ' +
        row.clean.accuracy +
        ' | ' +
        derived.map((d) => `${d.corruption}${d.severity} ${row.cells[d.versionId].accuracy}`).join(', '),
    );

    const all = await createEvalRun(pw.db, { ...base, name: 'all split', split: 'all' });
    await expect(createRobustnessRuns(pw.db, all.id)).rejects.toThrow(/evaluated the all split; robustness splits are derived from the test split/);
    await expect(createRobustnessRuns(pw.db, runs[0].id)).rejects.toThrow(/is itself on a robustness split/);
  }, 300_000);
});
