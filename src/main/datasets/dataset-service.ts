/** Dataset CRUD: list with counts, create, rename, delete (cascading to everything the dataset owns). */
import type { DatasetSummary } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { conflict, notFound, StudioError } from '../errors';

const SUMMARY_SQL = `
SELECT d.id, d.name, d.created_at AS createdAt,
  (SELECT COUNT(*) FROM samples s WHERE s.dataset_id = d.id) AS sampleCount,
  (SELECT COUNT(*) FROM samples s WHERE s.dataset_id = d.id AND s.status = 'active') AS activeCount,
  (SELECT COUNT(*) FROM samples s WHERE s.dataset_id = d.id AND s.status = 'dropped') AS droppedCount,
  (SELECT COUNT(*) FROM dataset_versions v WHERE v.dataset_id = d.id AND v.id NOT IN (SELECT version_id FROM derived_versions)) AS versionCount
FROM datasets d`;

/** Trims a user-supplied name and rejects empty or overlong ones. */
export function cleanName(name: string, what: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!trimmed) throw new StudioError('invalid-args', `${what} name must not be empty`);
  if (trimmed.length > 200) throw new StudioError('invalid-args', `${what} name is longer than 200 characters`);
  return trimmed;
}

export function listDatasets(db: Db): DatasetSummary[] {
  return stmt(db, `${SUMMARY_SQL} ORDER BY d.name COLLATE NOCASE, d.id`).all() as DatasetSummary[];
}

export function getDataset(db: Db, id: number): DatasetSummary {
  const row = stmt(db, `${SUMMARY_SQL} WHERE d.id = ?`).get(id) as DatasetSummary | undefined;
  if (!row) throw notFound(`dataset ${id}`);
  return row;
}

/** Throws not-found unless the dataset exists. */
export function requireDataset(db: Db, id: number): void {
  if (!stmt(db, 'SELECT 1 FROM datasets WHERE id = ?').get(id)) throw notFound(`dataset ${id}`);
}

function assertNameFree(db: Db, name: string, exceptId: number | null): void {
  const row = stmt(db, 'SELECT id FROM datasets WHERE name = ?').get(name) as { id: number } | undefined;
  if (row && row.id !== exceptId) throw conflict(`a dataset named "${name}" already exists`);
}

export function createDataset(db: Db, name: string): DatasetSummary {
  const clean = cleanName(name, 'dataset');
  const id = db.transaction(() => {
    assertNameFree(db, clean, null);
    return Number(stmt(db, 'INSERT INTO datasets (name) VALUES (?)').run(clean).lastInsertRowid);
  }).immediate();
  return getDataset(db, id);
}

export function renameDataset(db: Db, id: number, name: string): DatasetSummary {
  const clean = cleanName(name, 'dataset');
  db.transaction(() => {
    requireDataset(db, id);
    assertNameFree(db, clean, id);
    stmt(db, 'UPDATE datasets SET name = ?, updated_at = ? WHERE id = ?').run(clean, nowIso(), id);
  }).immediate();
  return getDataset(db, id);
}

/** Deletes the dataset with its samples, classes, versions, history and import reports. */
export function deleteDataset(db: Db, id: number): void {
  db.transaction(() => {
    requireDataset(db, id);
    // Samples first: otherwise the class cascade would SET NULL on every sample before deleting it.
    stmt(db, 'DELETE FROM samples WHERE dataset_id = ?').run(id);
    stmt(db, 'DELETE FROM datasets WHERE id = ?').run(id);
  }).immediate();
}
