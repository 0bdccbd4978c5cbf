/** Class rows a merge or delete removed, kept per change so undo can put them back and redo can remove them again. */
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { conflict } from '../errors';

interface RemovedClass {
  classId: number;
  name: string;
  position: number;
}

/** Records the class row and deletes it (its samples must already have been moved by the same change). */
export function removeClassRow(db: Db, changeId: number, datasetId: number, classId: number): void {
  const row = stmt(db, 'SELECT id, name, position FROM classes WHERE id = ? AND dataset_id = ?').get(classId, datasetId) as
    | { id: number; name: string; position: number }
    | undefined;
  if (!row) throw conflict(`class ${classId} is not in dataset ${datasetId}`);
  stmt(db, 'INSERT INTO change_removed_classes (change_id, class_id, name, position) VALUES (?, ?, ?, ?)').run(changeId, row.id, row.name, row.position);
  dropClass(db, row.id, row.name);
}

function dropClass(db: Db, classId: number, name: string): void {
  const left = stmt(db, 'SELECT COUNT(*) FROM samples WHERE class_id = ?').pluck(true).get(classId) as number;
  if (left > 0) throw conflict(`class "${name}" still has ${left} sample(s) that this change did not move (added since?); relabel them first`);
  stmt(db, 'DELETE FROM classes WHERE id = ?').run(classId);
}

function removedBy(db: Db, changeId: number): RemovedClass[] {
  return stmt(db, 'SELECT class_id AS classId, name, position FROM change_removed_classes WHERE change_id = ?').all(changeId) as RemovedClass[];
}

/**
 * Undo: re-creates the classes the change removed, before its sample entries are reverted. When the old id has been
 * taken by a class added since, the class gets a new id and the change's entries are rewritten to it (so redo still works).
 */
export function restoreRemovedClasses(db: Db, changeId: number, datasetId: number): void {
  for (const c of removedBy(db, changeId)) {
    const sameName = stmt(db, 'SELECT 1 FROM classes WHERE dataset_id = ? AND name = ?').get(datasetId, c.name);
    if (sameName) throw conflict(`Cannot undo: the dataset has a class named "${c.name}" again; rename or remove it first`);
    const idTaken = stmt(db, 'SELECT 1 FROM classes WHERE id = ?').get(c.classId) !== undefined;
    if (!idTaken) {
      stmt(db, 'INSERT INTO classes (id, dataset_id, name, position) VALUES (?, ?, ?, ?)').run(c.classId, datasetId, c.name, c.position);
      continue;
    }
    const newId = Number(stmt(db, 'INSERT INTO classes (dataset_id, name, position) VALUES (?, ?, ?)').run(datasetId, c.name, c.position).lastInsertRowid);
    const oldText = String(c.classId);
    stmt(db, "UPDATE change_entries SET before = ? WHERE change_id = ? AND field = 'class_id' AND before = ?").run(String(newId), changeId, oldText);
    stmt(db, 'UPDATE change_removed_classes SET class_id = ? WHERE change_id = ? AND class_id = ?').run(newId, changeId, c.classId);
  }
}

/** Redo: removes the change's classes again, after its sample entries were re-applied. */
export function removeClassesAgain(db: Db, changeId: number): void {
  for (const c of removedBy(db, changeId)) dropClass(db, c.classId, c.name);
}
