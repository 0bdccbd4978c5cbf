/**
 * Derives robustness splits: the snapshot's test split under each corruption × severity, written to the image store
 * and frozen as derived versions linked to the source. The corrupted images never become samples of the dataset.
 * Each derived version is committed in one transaction once all its images are stored, so a cancelled or crashed
 * job leaves only whole versions, and a rerun skips the finished ones.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { CORRUPTIONS, CORRUPTION_LABELS, CORRUPTION_SEVERITIES, type Corruption, type DeriveJobResult } from '../../shared/robustness-types';
import { nowIso, stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { makeThumbnail } from '../images/image-probe';
import { putThumb, writeAtomic } from '../images/image-store';
import { deriveSeed } from '../splits/seeded-rng';
import { getVersion, versionSamples } from '../versions/snapshot';
import { imagePath, type Workspace } from '../workspace/workspace';
import { corruptImage, type CorruptedImage } from './corruptions';
import { isDerivedVersion, listDerivedVersions } from './derived-store';

export interface DeriveOptions {
  seed?: number;
  /** Which variants to make (default: every corruption at every severity). */
  variants?: { corruption: Corruption; severity: number }[];
  onProgress?: (value: number, message: string) => void;
  signal?: AbortSignal;
}

type DeriveWorkspace = Pick<Workspace, 'db' | 'imagesDir' | 'thumbsDir'>;

/** Every corruption at every severity, in list order. */
export function allVariants(): { corruption: Corruption; severity: number }[] {
  return CORRUPTIONS.flatMap((corruption) => CORRUPTION_SEVERITIES[corruption].map((_, i) => ({ corruption, severity: i + 1 })));
}

interface Made extends CorruptedImage {
  hash: string;
  sampleId: number;
  originalPath: string;
  label: string;
}

export async function deriveRobustnessVersions(ws: DeriveWorkspace, sourceVersionId: number, opts: DeriveOptions = {}): Promise<DeriveJobResult> {
  const { db } = ws;
  const seed = opts.seed ?? 0;
  const source = getVersion(db, sourceVersionId);
  if (isDerivedVersion(db, source.id)) {
    throw new StudioError('invalid-args', `"${source.name}" is itself a robustness split; derive from the snapshot it came from`);
  }
  const test = versionSamples(db, source.id).filter((s) => s.split === 'test');
  if (test.length === 0) {
    throw new StudioError('invalid-args', `Snapshot "${source.name}" has no test split to derive from; assign splits and take a new snapshot`);
  }
  const extOf = stmt(db, 'SELECT ext FROM images WHERE hash = ?').pluck(true);
  const variants = opts.variants ?? allVariants();
  for (const v of variants) {
    if (!CORRUPTIONS.includes(v.corruption) || !Number.isInteger(v.severity) || CORRUPTION_SEVERITIES[v.corruption][v.severity - 1] === undefined) {
      throw new StudioError('invalid-args', `unknown corruption/severity ${String(v.corruption)} ${String(v.severity)}`);
    }
  }
  const existing = new Map(listDerivedVersions(db, source.id).map((d) => [`${d.corruption}:${d.severity}`, d.versionId]));
  const todo = variants.filter((v) => !existing.has(`${v.corruption}:${v.severity}`));
  const total = todo.length * test.length;
  const ids: number[] = variants.flatMap((v) => existing.get(`${v.corruption}:${v.severity}`) ?? []);
  let written = 0;
  let step = 0;

  for (const { corruption, severity } of todo) {
    const param = CORRUPTION_SEVERITIES[corruption][severity - 1];
    const label = CORRUPTION_LABELS[corruption](param);
    const made: Made[] = [];
    for (const row of test) {
      if (opts.signal?.aborted) return { sourceVersionId: source.id, derivedVersionIds: ids, imagesWritten: written, cancelled: true };
      const ext = extOf.get(row.imageHash) as string | undefined;
      const file = ext === undefined ? null : imagePath(ws, row.imageHash, ext);
      if (file === null || !existsSync(file)) {
        throw new StudioError('failed', `image of ${row.originalPath} (${row.imageHash.slice(0, 12)}…) is missing from the workspace store`);
      }
      const image = await corruptImage(file, corruption, param, deriveSeed(seed, `${corruption}:${severity}:${row.imageHash}`));
      const hash = createHash('sha256').update(image.bytes).digest('hex');
      const target = imagePath(ws, hash, image.ext);
      if (!existsSync(target)) await writeAtomic(target, image.bytes);
      await putThumb(ws, hash, await makeThumbnail(image.bytes)); // run dashboards show the corrupted copy
      written += 1;
      made.push({ ...image, hash, sampleId: row.sampleId, originalPath: row.originalPath, label: row.label });
      step += 1;
      opts.onProgress?.(step / total, `Robustness splits — ${label}: ${made.length} of ${test.length} images`);
    }
    const versionId = db
      .transaction((): number => {
        const insImage = stmt(db, 'INSERT OR IGNORE INTO images (hash, ext, format, width, height, bytes, has_thumb) VALUES (?, ?, ?, ?, ?, ?, 1)');
        for (const m of made) insImage.run(m.hash, m.ext, m.format, m.width, m.height, m.bytes.length);
        const id = Number(
          stmt(db, 'INSERT INTO dataset_versions (dataset_id, name, note, classes_json, sample_count, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
            source.datasetId,
            `${source.name} · ${label}`,
            `Robustness split: the test split of "${source.name}" under ${label} (seed ${seed})`,
            JSON.stringify(source.classes),
            made.length,
            nowIso(),
          ).lastInsertRowid,
        );
        const insRow = stmt(db, `INSERT INTO version_samples (version_id, sample_id, image_hash, original_path, label, split) VALUES (?, ?, ?, ?, ?, 'test')`);
        for (const m of made) insRow.run(id, m.sampleId, m.hash, m.originalPath, m.label);
        stmt(db, 'INSERT INTO version_seals (version_id, sealed) VALUES (?, 1)').run(id);
        stmt(db, 'INSERT INTO derived_versions (version_id, source_version_id, corruption, severity, param, seed) VALUES (?, ?, ?, ?, ?, ?)').run(
          id,
          source.id,
          corruption,
          severity,
          param,
          seed,
        );
        return id;
      })
      .immediate();
    ids.push(versionId);
  }
  opts.onProgress?.(1, `${ids.length} robustness splits of "${source.name}"`);
  return { sourceVersionId: source.id, derivedVersionIds: ids, imagesWritten: written, cancelled: false };
}
