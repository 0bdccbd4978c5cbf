/** Writes one import's result (images, classes, samples, report, issues) in a single transaction. */
import type { ImportIssue, ImportReport } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { ensureClasses, getOrCreateDataset } from '../datasets/dataset-lookup';
import type { ConcreteImportFormat } from './import-candidate';
import type { StoredImage } from './process-files';

export interface NewSample {
  hash: string;
  originalPath: string;
  label: string | null;
  split: string | null;
}

export interface ImportToSave {
  datasetName: string;
  source: string;
  format: ConcreteImportFormat;
  scanned: number;
  images: StoredImage[];
  samples: NewSample[];
  /** Class names in the order they are appended to the dataset. */
  classes: string[];
  alreadyPresent: number;
  issues: ImportIssue[];
  skippedSideFiles: string[];
  cancelled: boolean;
}

/** Saves everything or nothing. Samples whose content reached the dataset meanwhile count as already present. */
export function saveImport(db: Db, data: ImportToSave): ImportReport {
  const tx = db.transaction((): ImportReport => {
    const datasetId = getOrCreateDataset(db, data.datasetName);
    let imported = 0;
    let alreadyPresent = data.alreadyPresent;
    if (!data.cancelled) {
      const classIds = ensureClasses(db, datasetId, data.classes);
      const putImage = db.prepare(
        `INSERT INTO images (hash, ext, format, width, height, bytes, has_thumb) VALUES (?, ?, ?, ?, ?, ?, 1)
         ON CONFLICT(hash) DO UPDATE SET has_thumb = 1`,
      );
      for (const im of data.images) putImage.run(im.hash, im.ext, im.format, im.width, im.height, im.bytes);
      const putSample = db.prepare(
        `INSERT INTO samples (dataset_id, image_hash, original_path, class_id, split) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(dataset_id, image_hash) DO NOTHING`,
      );
      for (const s of data.samples) {
        const classId = s.label === null ? null : (classIds.get(s.label) ?? null);
        if (putSample.run(datasetId, s.hash, s.originalPath, classId, s.split).changes === 1) imported++;
        else alreadyPresent++;
      }
      db.prepare(`UPDATE datasets SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`).run(datasetId);
    }
    const info = db
      .prepare(
        `INSERT INTO import_reports (dataset_id, source, format, scanned, imported, already_present, classes_json, skipped_json, cancelled)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        datasetId,
        data.source,
        data.format,
        data.scanned,
        imported,
        alreadyPresent,
        JSON.stringify(data.classes),
        JSON.stringify(data.skippedSideFiles),
        data.cancelled ? 1 : 0,
      );
    const reportId = Number(info.lastInsertRowid);
    const putIssue = db.prepare('INSERT INTO import_issues (report_id, path, reason, detail) VALUES (?, ?, ?, ?)');
    for (const issue of data.issues) putIssue.run(reportId, issue.path, issue.reason, issue.detail);
    const createdAt = (db.prepare('SELECT created_at AS c FROM import_reports WHERE id = ?').get(reportId) as { c: string }).c;
    return {
      id: reportId,
      datasetId,
      source: data.source,
      format: data.format,
      createdAt,
      scanned: data.scanned,
      imported,
      alreadyPresent,
      classes: data.classes,
      issues: data.issues,
      skippedSideFiles: data.skippedSideFiles,
      cancelled: data.cancelled,
    };
  });
  return tx.immediate();
}
