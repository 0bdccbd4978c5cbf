/** Write side of the sample table: relabel/drop/restore/note/split edits through the audit log, with undo/redo. */
import type { ChangeRecord, EditResult, SampleEdit, UndoState } from '../../shared/domain';
import { SPLITS } from '../../shared/domain';
import { assertNever } from '../../shared/assert-never';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import {
  listChanges as listChangeRecords,
  recordChange,
  redoEarliest,
  undoLatest,
  undoState as readUndoState,
  type FieldChange,
} from './change-log';
import { classNameInDataset } from './class-service';
import { requireDataset } from './dataset-service';

/** Current values of the editable fields, as the log stores them. */
export interface SampleFields {
  id: number;
  classId: number | null;
  split: string | null;
  status: string;
  dropReason: string | null;
  notes: string;
}

const plural = (n: number): string => `${n} sample${n === 1 ? '' : 's'}`;

/** Loads the given samples of the dataset; throws invalid-args (nothing written) when any id is not in it. */
export function loadSamplesOfDataset(db: Db, datasetId: number, sampleIds: readonly number[]): SampleFields[] {
  const unique = [...new Set(sampleIds)];
  if (unique.length === 0) throw new StudioError('invalid-args', 'no samples given');
  if (unique.some((id) => !Number.isInteger(id))) throw new StudioError('invalid-args', 'sample ids must be integers');
  const rows = stmt(
    db,
    `SELECT id, class_id AS classId, split, status, drop_reason AS dropReason, notes FROM samples
     WHERE dataset_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).all(datasetId, JSON.stringify(unique)) as SampleFields[];
  if (rows.length !== unique.length) {
    const found = new Set(rows.map((r) => r.id));
    const missing = unique.filter((id) => !found.has(id));
    const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? ', …' : '');
    throw new StudioError('invalid-args', `${plural(missing.length)} not in dataset ${datasetId}: ${shown}`);
  }
  return rows;
}

const classText = (id: number | null): string | null => (id === null ? null : String(id));

/** Field changes an edit makes (no-ops included; the log skips them) plus a summary builder. */
function planEdit(
  db: Db,
  datasetId: number,
  edit: SampleEdit,
  rows: SampleFields[],
): { entries: FieldChange[]; summary: (n: number) => string } {
  const entries: FieldChange[] = [];
  const push = (sampleId: number, field: FieldChange['field'], before: string | null, after: string | null) =>
    entries.push({ sampleId, field, before, after });
  switch (edit.kind) {
    case 'relabel': {
      const label = edit.classId === null ? 'unlabelled' : classNameInDataset(db, datasetId, edit.classId);
      for (const r of rows) push(r.id, 'class_id', classText(r.classId), classText(edit.classId));
      return { entries, summary: (n) => `Relabel ${plural(n)} → ${label}` };
    }
    case 'drop': {
      const reason = typeof edit.reason === 'string' ? edit.reason.trim() : '';
      if (!reason) throw new StudioError('invalid-args', 'a drop needs a reason');
      for (const r of rows) {
        push(r.id, 'status', r.status, 'dropped');
        push(r.id, 'drop_reason', r.dropReason, reason);
      }
      return { entries, summary: (n) => `Drop ${plural(n)} (${reason})` };
    }
    case 'restore':
      for (const r of rows) {
        push(r.id, 'status', r.status, 'active');
        push(r.id, 'drop_reason', r.dropReason, null);
      }
      return { entries, summary: (n) => `Restore ${plural(n)}` };
    case 'note': {
      if (typeof edit.notes !== 'string') throw new StudioError('invalid-args', 'notes must be text');
      for (const r of rows) push(r.id, 'notes', r.notes, edit.notes);
      return { entries, summary: (n) => (edit.notes ? `Edit notes of ${plural(n)}` : `Clear notes of ${plural(n)}`) };
    }
    case 'split': {
      if (edit.split !== null && !SPLITS.includes(edit.split)) {
        throw new StudioError('invalid-args', `unknown split "${String(edit.split)}"`);
      }
      for (const r of rows) push(r.id, 'split', r.split, edit.split);
      return { entries, summary: (n) => (edit.split ? `Move ${plural(n)} → ${edit.split}` : `Clear split of ${plural(n)}`) };
    }
    default:
      return assertNever(edit, 'sample edit');
  }
}

/** Applies one edit as one undoable change; a change with nothing to change returns change: null. source: what surfaced it (audit log). */
export function applyEdit(db: Db, datasetId: number, edit: SampleEdit, actor = 'user', source: string | null = null): EditResult {
  return db.transaction((): EditResult => {
    requireDataset(db, datasetId);
    const rows = loadSamplesOfDataset(db, datasetId, edit.sampleIds);
    const { entries, summary } = planEdit(db, datasetId, edit, rows);
    const touched = new Set(entries.filter((e) => e.before !== e.after).map((e) => e.sampleId)).size;
    const change = recordChange(db, datasetId, { action: edit.kind, summary: summary(touched), actor, source }, entries);
    return { change, undo: readUndoState(db, datasetId) };
  }).immediate();
}

export function undo(db: Db, datasetId: number): EditResult {
  return db.transaction((): EditResult => {
    requireDataset(db, datasetId);
    const change = undoLatest(db, datasetId);
    return { change, undo: readUndoState(db, datasetId) };
  }).immediate();
}

export function redo(db: Db, datasetId: number): EditResult {
  return db.transaction((): EditResult => {
    requireDataset(db, datasetId);
    const change = redoEarliest(db, datasetId);
    return { change, undo: readUndoState(db, datasetId) };
  }).immediate();
}

export function undoState(db: Db, datasetId: number): UndoState {
  requireDataset(db, datasetId);
  return readUndoState(db, datasetId);
}

/** Newest first. */
export function listChanges(db: Db, datasetId: number, limit = 100): ChangeRecord[] {
  requireDataset(db, datasetId);
  return listChangeRecords(db, datasetId, limit);
}
