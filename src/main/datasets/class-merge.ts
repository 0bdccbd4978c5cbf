/** Merge a class into another, or delete it (samples → a target class or unlabelled), as one undoable change in the audit log. */
import type { EditResult } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { recordChange, undoState, type FieldChange } from './change-log';
import { classNameInDataset } from './class-service';
import { requireDataset } from './dataset-service';
import { removeClassRow } from './removed-classes';

const plural = (n: number): string => `${n} sample${n === 1 ? '' : 's'}`;

/** Moves every sample of `classId` (active or dropped) to `targetId` (null = unlabelled) and removes the class row. */
function moveAndRemove(db: Db, datasetId: number, classId: number, targetId: number | null, action: string, summary: (n: number) => string): EditResult {
  return db
    .transaction((): EditResult => {
      requireDataset(db, datasetId);
      classNameInDataset(db, datasetId, classId);
      if (targetId !== null) {
        classNameInDataset(db, datasetId, targetId);
        if (targetId === classId) throw new StudioError('invalid-args', 'A class cannot be merged into itself');
      }
      const sampleIds = stmt(db, 'SELECT id FROM samples WHERE dataset_id = ? AND class_id = ? ORDER BY id').pluck(true).all(datasetId, classId) as number[];
      const entries: FieldChange[] = sampleIds.map((sampleId) => ({
        sampleId,
        field: 'class_id',
        before: String(classId),
        after: targetId === null ? null : String(targetId),
      }));
      const change = recordChange(db, datasetId, { action, summary: summary(sampleIds.length), actor: 'user' }, entries, true);
      if (!change) throw new StudioError('failed', 'the class change was not recorded');
      removeClassRow(db, change.id, datasetId, classId);
      return { change, undo: undoState(db, datasetId) };
    })
    .immediate();
}

/** Merges `sourceId` into `targetId`: its samples take the target's label and the source class disappears. */
export function mergeClass(db: Db, datasetId: number, sourceId: number, targetId: number): EditResult {
  const source = classNameInDataset(db, datasetId, sourceId);
  const target = classNameInDataset(db, datasetId, targetId);
  return moveAndRemove(db, datasetId, sourceId, targetId, 'merge-class', (n) => `Merge class "${source}" into "${target}" (${plural(n)})`);
}

/** Deletes `classId`; its samples move to `targetId`, or become unlabelled when it is null. */
export function deleteClass(db: Db, datasetId: number, classId: number, targetId: number | null): EditResult {
  const name = classNameInDataset(db, datasetId, classId);
  const where = targetId === null ? 'unlabelled' : `"${classNameInDataset(db, datasetId, targetId)}"`;
  return moveAndRemove(db, datasetId, classId, targetId, 'delete-class', (n) => `Delete class "${name}" (${plural(n)} → ${where})`);
}
