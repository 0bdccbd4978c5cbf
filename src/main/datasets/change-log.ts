/** The audit log behind undo/redo: records field changes as one change, applies before/after values, tracks state. */
import type { ChangeRecord, UndoState } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { removeClassesAgain, restoreRemovedClasses } from './removed-classes';

/** Sample columns the log may change (mirrors the CHECK on change_entries.field). */
export type ChangeField = 'class_id' | 'split' | 'status' | 'drop_reason' | 'notes';

/** One field of one sample, as text (class ids are stored as their decimal string). */
export interface FieldChange {
  sampleId: number;
  field: ChangeField;
  before: string | null;
  after: string | null;
}

export interface ChangeMeta {
  action: string;
  summary: string;
  actor: string;
  /** What surfaced the edit ("finder:duplicates#12", "run:7"); absent for a plain edit. */
  source?: string | null;
}

const CHANGE_COLUMNS = `id, dataset_id AS datasetId, at, actor, action, summary, sample_count AS sampleCount, state, source`;

const UPDATE_SQL: Record<ChangeField, string> = {
  class_id: 'UPDATE samples SET class_id = ?, updated_at = ? WHERE id = ?',
  split: 'UPDATE samples SET split = ?, updated_at = ? WHERE id = ?',
  status: 'UPDATE samples SET status = ?, updated_at = ? WHERE id = ?',
  drop_reason: 'UPDATE samples SET drop_reason = ?, updated_at = ? WHERE id = ?',
  notes: 'UPDATE samples SET notes = ?, updated_at = ? WHERE id = ?',
};

/** Stored text → column value (class_id back to an integer). */
function columnValue(field: ChangeField, value: string | null): string | number | null {
  if (field === 'class_id' && value !== null) return Number(value);
  return value;
}

function writeValues(db: Db, rows: { sampleId: number; field: ChangeField; value: string | null }[], at: string): void {
  for (const row of rows) {
    try {
      stmt(db, UPDATE_SQL[row.field]).run(columnValue(row.field, row.value), at, row.sampleId);
    } catch (err) {
      if (err instanceof Error && /FOREIGN KEY/.test(err.message)) {
        throw new StudioError('conflict', `sample ${row.sampleId}: its class no longer exists`);
      }
      throw err;
    }
  }
}

function touchDataset(db: Db, datasetId: number, at: string): void {
  stmt(db, 'UPDATE datasets SET updated_at = ? WHERE id = ?').run(at, datasetId);
}

export function getChange(db: Db, id: number): ChangeRecord {
  const row = stmt(db, `SELECT ${CHANGE_COLUMNS} FROM changes WHERE id = ?`).get(id) as ChangeRecord | undefined;
  if (!row) throw new StudioError('not-found', `change ${id} not found`);
  return row;
}

/**
 * Applies the entries' `after` values and records them as one applied change, discarding the redo stack.
 * No-op entries (before === after) are skipped; nothing to change returns null unless keepEmpty (a change that only
 * removes a class row). Call inside a transaction.
 */
export function recordChange(db: Db, datasetId: number, meta: ChangeMeta, entries: FieldChange[], keepEmpty = false): ChangeRecord | null {
  const real = entries.filter((e) => e.before !== e.after);
  if (real.length === 0 && !keepEmpty) return null;
  const at = nowIso();
  const sampleCount = new Set(real.map((e) => e.sampleId)).size;
  stmt(db, "UPDATE changes SET state = 'discarded' WHERE dataset_id = ? AND state = 'undone'").run(datasetId);
  const changeId = Number(
    stmt(db, 'INSERT INTO changes (dataset_id, at, actor, action, summary, sample_count, source) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      datasetId,
      at,
      meta.actor,
      meta.action,
      meta.summary,
      sampleCount,
      meta.source ?? null,
    ).lastInsertRowid,
  );
  const insert = stmt(db, 'INSERT INTO change_entries (change_id, sample_id, field, before, after) VALUES (?, ?, ?, ?, ?)');
  for (const e of real) insert.run(changeId, e.sampleId, e.field, e.before, e.after);
  writeValues(db, real.map((e) => ({ sampleId: e.sampleId, field: e.field, value: e.after })), at);
  touchDataset(db, datasetId, at);
  return getChange(db, changeId);
}

function entriesOf(db: Db, changeId: number): FieldChange[] {
  return stmt(
    db,
    'SELECT sample_id AS sampleId, field, before, after FROM change_entries WHERE change_id = ? ORDER BY rowid',
  ).all(changeId) as FieldChange[];
}

/** Reverts the latest applied change of the dataset; null when there is none. Call inside a transaction. */
export function undoLatest(db: Db, datasetId: number): ChangeRecord | null {
  const row = stmt(db, "SELECT id FROM changes WHERE dataset_id = ? AND state = 'applied' ORDER BY id DESC LIMIT 1").get(
    datasetId,
  ) as { id: number } | undefined;
  if (!row) return null;
  const at = nowIso();
  restoreRemovedClasses(db, row.id, datasetId);
  writeValues(db, entriesOf(db, row.id).map((e) => ({ sampleId: e.sampleId, field: e.field, value: e.before })), at);
  stmt(db, "UPDATE changes SET state = 'undone' WHERE id = ?").run(row.id);
  touchDataset(db, datasetId, at);
  return getChange(db, row.id);
}

/** Re-applies the earliest undone change of the dataset; null when there is none. Call inside a transaction. */
export function redoEarliest(db: Db, datasetId: number): ChangeRecord | null {
  const row = stmt(db, "SELECT id FROM changes WHERE dataset_id = ? AND state = 'undone' ORDER BY id ASC LIMIT 1").get(
    datasetId,
  ) as { id: number } | undefined;
  if (!row) return null;
  const at = nowIso();
  writeValues(db, entriesOf(db, row.id).map((e) => ({ sampleId: e.sampleId, field: e.field, value: e.after })), at);
  removeClassesAgain(db, row.id);
  stmt(db, "UPDATE changes SET state = 'applied' WHERE id = ?").run(row.id);
  touchDataset(db, datasetId, at);
  return getChange(db, row.id);
}

export function undoState(db: Db, datasetId: number): UndoState {
  const undo = stmt(
    db,
    "SELECT summary FROM changes WHERE dataset_id = ? AND state = 'applied' ORDER BY id DESC LIMIT 1",
  ).get(datasetId) as { summary: string } | undefined;
  const redo = stmt(
    db,
    "SELECT summary FROM changes WHERE dataset_id = ? AND state = 'undone' ORDER BY id ASC LIMIT 1",
  ).get(datasetId) as { summary: string } | undefined;
  return {
    canUndo: Boolean(undo),
    canRedo: Boolean(redo),
    undoSummary: undo?.summary ?? null,
    redoSummary: redo?.summary ?? null,
  };
}

/** Newest first. */
export function listChanges(db: Db, datasetId: number, limit: number): ChangeRecord[] {
  if (!Number.isInteger(limit) || limit < 1) throw new StudioError('invalid-args', 'limit must be a positive integer');
  return stmt(db, `SELECT ${CHANGE_COLUMNS} FROM changes WHERE dataset_id = ? ORDER BY id DESC LIMIT ?`).all(
    datasetId,
    limit,
  ) as ChangeRecord[];
}
