/** Class list of a dataset (ordered, with active-sample counts): add, rename, reorder. */
import type { ClassInfo } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { conflict, notFound, StudioError } from '../errors';
import { labelProblem } from '../../shared/label-rule';
import { requireDataset } from './dataset-service';

export function listClasses(db: Db, datasetId: number): ClassInfo[] {
  requireDataset(db, datasetId);
  return stmt(
    db,
    `SELECT c.id, c.name, c.position,
       (SELECT COUNT(*) FROM samples s
         WHERE s.dataset_id = c.dataset_id AND s.status = 'active' AND s.class_id = c.id) AS count
     FROM classes c WHERE c.dataset_id = ? ORDER BY c.position, c.id`,
  ).all(datasetId) as ClassInfo[];
}

/** Returns the class's name, or throws invalid-args when it is not a class of this dataset. */
export function classNameInDataset(db: Db, datasetId: number, classId: number): string {
  const row = stmt(db, 'SELECT name FROM classes WHERE id = ? AND dataset_id = ?').get(classId, datasetId) as
    | { name: string }
    | undefined;
  if (!row) throw new StudioError('invalid-args', `class ${classId} does not belong to dataset ${datasetId}`);
  return row.name;
}

function assertClassNameFree(db: Db, datasetId: number, name: string, exceptId: number | null): void {
  const row = stmt(db, 'SELECT id FROM classes WHERE dataset_id = ? AND name = ?').get(datasetId, name) as
    | { id: number }
    | undefined;
  if (row && row.id !== exceptId) throw conflict(`class "${name}" already exists in this dataset`);
}

function touchDataset(db: Db, datasetId: number): void {
  stmt(db, 'UPDATE datasets SET updated_at = ? WHERE id = ?').run(nowIso(), datasetId);
}

/** Appends a class at the end of the order; returns the new class. */
/** Trimmed label, or invalid-args with the label rule's reason. */
function cleanLabel(name: string): string {
  const problem = labelProblem(typeof name === 'string' ? name : '');
  if (problem) throw new StudioError('invalid-args', `Class name refused: ${problem}`);
  return name.trim();
}

export function addClass(db: Db, datasetId: number, name: string): ClassInfo {
  const clean = cleanLabel(name);
  const id = db.transaction(() => {
    requireDataset(db, datasetId);
    assertClassNameFree(db, datasetId, clean, null);
    const { p } = stmt(db, 'SELECT COALESCE(MAX(position), -1) + 1 AS p FROM classes WHERE dataset_id = ?').get(
      datasetId,
    ) as { p: number };
    const res = stmt(db, 'INSERT INTO classes (dataset_id, name, position) VALUES (?, ?, ?)').run(datasetId, clean, p);
    touchDataset(db, datasetId);
    return Number(res.lastInsertRowid);
  }).immediate();
  const created = listClasses(db, datasetId).find((c) => c.id === id);
  if (!created) throw new StudioError('failed', 'class vanished after insert');
  return created;
}

export function renameClass(db: Db, datasetId: number, classId: number, name: string): void {
  const clean = cleanLabel(name);
  db.transaction(() => {
    requireDataset(db, datasetId);
    const row = stmt(db, 'SELECT id FROM classes WHERE id = ? AND dataset_id = ?').get(classId, datasetId);
    if (!row) throw notFound(`class ${classId} in dataset ${datasetId}`);
    assertClassNameFree(db, datasetId, clean, classId);
    stmt(db, 'UPDATE classes SET name = ? WHERE id = ?').run(clean, classId);
    touchDataset(db, datasetId);
  }).immediate();
}

/** Sets the class order; classIds must list every class of the dataset exactly once. */
export function reorderClasses(db: Db, datasetId: number, classIds: readonly number[]): void {
  db.transaction(() => {
    requireDataset(db, datasetId);
    const existing = (stmt(db, 'SELECT id FROM classes WHERE dataset_id = ?').all(datasetId) as { id: number }[]).map(
      (r) => r.id,
    );
    const given = new Set(classIds);
    if (given.size !== classIds.length) throw new StudioError('invalid-args', 'class order lists a class twice');
    const missing = existing.filter((id) => !given.has(id));
    const known = new Set(existing);
    const foreign = classIds.filter((id) => !known.has(id));
    if (missing.length || foreign.length) {
      throw new StudioError(
        'invalid-args',
        `class order must list exactly the dataset's classes (missing: [${missing.join(', ')}], unknown: [${foreign.join(', ')}])`,
      );
    }
    const update = stmt(db, 'UPDATE classes SET position = ? WHERE id = ?');
    classIds.forEach((id, position) => update.run(position, id));
    touchDataset(db, datasetId);
  }).immediate();
}
