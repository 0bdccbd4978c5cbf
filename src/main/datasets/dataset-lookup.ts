/** Minimal dataset/class resolution shared by import and the dataset service (get-or-create by name). */
import type { Db } from '../db/open-database';

/** Returns the id of the dataset with this name (case-insensitive), creating it when absent. */
export function getOrCreateDataset(db: Db, name: string): number {
  const row = db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number } | undefined;
  if (row) return row.id;
  return Number(db.prepare('INSERT INTO datasets (name) VALUES (?)').run(name).lastInsertRowid);
}

/** Ensures every name exists as a class of the dataset (appended in the given order); returns name → id. */
export function ensureClasses(db: Db, datasetId: number, names: readonly string[]): Map<string, number> {
  const existing = db.prepare('SELECT id, name FROM classes WHERE dataset_id = ?').all(datasetId) as {
    id: number;
    name: string;
  }[];
  const map = new Map(existing.map((c) => [c.name, c.id]));
  const maxPos = db.prepare('SELECT COALESCE(MAX(position), -1) AS p FROM classes WHERE dataset_id = ?').get(datasetId) as {
    p: number;
  };
  let position = maxPos.p + 1;
  const insert = db.prepare('INSERT INTO classes (dataset_id, name, position) VALUES (?, ?, ?)');
  for (const name of names) {
    if (map.has(name)) continue;
    map.set(name, Number(insert.run(datasetId, name, position++).lastInsertRowid));
  }
  return map;
}
