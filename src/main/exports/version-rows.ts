/** Reads a dataset version for export straight from the immutable version tables (plus each image's store extension). */
import type { Split } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { notFound } from '../errors';

export interface ExportSample {
  sampleId: number;
  hash: string;
  ext: string;
  originalPath: string;
  label: string;
  split: Split | null;
}

export interface VersionForExport {
  id: number;
  datasetId: number;
  name: string;
  classes: string[];
  samples: ExportSample[];
}

export function readVersionForExport(db: Db, versionId: number): VersionForExport {
  const v = db.prepare('SELECT id, dataset_id, name, classes_json FROM dataset_versions WHERE id = ?').get(versionId) as
    | { id: number; dataset_id: number; name: string; classes_json: string }
    | undefined;
  if (!v) throw notFound(`Dataset version ${versionId}`);
  const rows = db
    .prepare(
      `SELECT vs.sample_id AS sampleId, vs.image_hash AS hash, i.ext AS ext, vs.original_path AS originalPath,
              vs.label AS label, vs.split AS split
       FROM version_samples vs LEFT JOIN images i ON i.hash = vs.image_hash
       WHERE vs.version_id = ?
       ORDER BY CASE vs.split WHEN 'train' THEN 0 WHEN 'val' THEN 1 WHEN 'test' THEN 2 ELSE 3 END, vs.sample_id`,
    )
    .all(versionId) as (Omit<ExportSample, 'ext'> & { ext: string | null })[];
  const samples = rows.map((r) => {
    if (r.ext === null) throw new Error(`Image ${r.hash} (${r.originalPath}) of version "${v.name}" is not in the workspace`);
    return { ...r, ext: r.ext };
  });
  return { id: v.id, datasetId: v.dataset_id, name: v.name, classes: JSON.parse(v.classes_json) as string[], samples };
}
