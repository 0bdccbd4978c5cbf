/** Immutable dataset versions: freeze active labelled samples + the class list, then seal; read them back. */
import type { DatasetVersion, Split } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { conflict, notFound, StudioError } from '../errors';
import { cleanName, requireDataset } from '../datasets/dataset-service';

export interface VersionSample {
  sampleId: number;
  imageHash: string;
  originalPath: string;
  label: string;
  split: Split | null;
}

interface VersionRow {
  id: number;
  datasetId: number;
  name: string;
  note: string;
  createdAt: string;
  classesJson: string;
  sampleCount: number;
}

const VERSION_COLUMNS = `id, dataset_id AS datasetId, name, note, created_at AS createdAt,
  classes_json AS classesJson, sample_count AS sampleCount`;

function toVersion(db: Db, row: VersionRow): DatasetVersion {
  const splitCounts: DatasetVersion['splitCounts'] = { train: 0, val: 0, test: 0, none: 0 };
  const groups = stmt(db, 'SELECT split, COUNT(*) AS n FROM version_samples WHERE version_id = ? GROUP BY split').all(
    row.id,
  ) as { split: Split | null; n: number }[];
  for (const g of groups) splitCounts[g.split ?? 'none'] = g.n;
  return {
    id: row.id,
    datasetId: row.datasetId,
    name: row.name,
    note: row.note,
    createdAt: row.createdAt,
    classes: JSON.parse(row.classesJson) as string[],
    sampleCount: row.sampleCount,
    splitCounts,
  };
}

/** Snapshots the dataset's active, labelled samples; refuses an empty snapshot and a duplicate name. */
export function createVersion(db: Db, datasetId: number, name: string, note = ''): DatasetVersion {
  const clean = cleanName(name, 'version');
  if (typeof note !== 'string') throw new StudioError('invalid-args', 'version note must be text');
  const id = db.transaction((): number => {
    requireDataset(db, datasetId);
    if (stmt(db, 'SELECT 1 FROM dataset_versions WHERE dataset_id = ? AND name = ?').get(datasetId, clean)) {
      throw conflict(`a version named "${clean}" already exists in this dataset`);
    }
    const count = stmt(
      db,
      `SELECT COUNT(*) FROM samples WHERE dataset_id = ? AND status = 'active' AND class_id IS NOT NULL`,
    )
      .pluck(true)
      .get(datasetId) as number;
    if (count === 0) throw new StudioError('invalid-args', 'nothing to snapshot: the dataset has no active labelled samples');
    const classes = stmt(db, 'SELECT name FROM classes WHERE dataset_id = ? ORDER BY position, id')
      .pluck(true)
      .all(datasetId) as string[];
    const versionId = Number(
      stmt(
        db,
        'INSERT INTO dataset_versions (dataset_id, name, note, classes_json, sample_count, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(datasetId, clean, note, JSON.stringify(classes), count, nowIso()).lastInsertRowid,
    );
    const copied = stmt(
      db,
      `INSERT INTO version_samples (version_id, sample_id, image_hash, original_path, label, split)
       SELECT ?, s.id, s.image_hash, s.original_path, c.name, s.split
       FROM samples s JOIN classes c ON c.id = s.class_id
       WHERE s.dataset_id = ? AND s.status = 'active'`,
    ).run(versionId, datasetId).changes;
    if (copied !== count) throw new StudioError('failed', `snapshot copied ${copied} samples, expected ${count}`);
    stmt(db, 'INSERT INTO version_seals (version_id, sealed) VALUES (?, 1)').run(versionId);
    return versionId;
  }).immediate();
  return getVersion(db, id);
}

/** Newest first; robustness splits derived from a snapshot are not listed (they belong to their source). */
export function listVersions(db: Db, datasetId: number): DatasetVersion[] {
  requireDataset(db, datasetId);
  const rows = stmt(
    db,
    `SELECT ${VERSION_COLUMNS} FROM dataset_versions WHERE dataset_id = ? AND id NOT IN (SELECT version_id FROM derived_versions) ORDER BY id DESC`,
  ).all(
    datasetId,
  ) as VersionRow[];
  return rows.map((r) => toVersion(db, r));
}

export function getVersion(db: Db, versionId: number): DatasetVersion {
  const row = stmt(db, `SELECT ${VERSION_COLUMNS} FROM dataset_versions WHERE id = ?`).get(versionId) as
    | VersionRow
    | undefined;
  if (!row) throw notFound(`version ${versionId}`);
  return toVersion(db, row);
}

/** The frozen rows of a version, by sample id (what export writes). */
export function versionSamples(db: Db, versionId: number): VersionSample[] {
  if (!stmt(db, 'SELECT 1 FROM dataset_versions WHERE id = ?').get(versionId)) throw notFound(`version ${versionId}`);
  return stmt(
    db,
    `SELECT sample_id AS sampleId, image_hash AS imageHash, original_path AS originalPath, label, split
     FROM version_samples WHERE version_id = ? ORDER BY sample_id`,
  ).all(versionId) as VersionSample[];
}
